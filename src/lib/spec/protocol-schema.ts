import { z } from 'zod';
import { modelSpecSchema } from './model-schema';
import { cohortSpec } from './cohort-schema';
import { duration, nonNegativeDuration, positiveDuration } from './duration';
import { MAX_GRID_POINTS, MAX_REPLICATES, MAX_TWINS } from './limits';

/**
 * The trial protocol format (protocols/*.yaml): cohort, model, arms and regimens,
 * allocation, schedule, endpoints (with their estimands), dropout and adherence, intercurrent
 * events (docs/estimands.md), replicates. This zod schema
 * is the single source of the TypeScript types and of static/schema/protocol.schema.json;
 * cross-field rules (a visit inside the study, an endpoint on an observed output, strata
 * that exist in the cohort) are checked by compileProtocol with field paths.
 */
const name = z.string().min(1);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((x) => x > 0, 'must be greater than 0');
const probability = finite.refine((p) => p >= 0 && p <= 1, 'must be a probability between 0 and 1');

/**
 * A cohort of calibrated patients: the fits file `twinbench calibrate --out` writes (one
 * row per patient: covariates, eta_<P> the MAP etas, cov_<Pi>_<Pj> their Laplace
 * posterior covariance). Twin i is patient i; each twin's etas are drawn from its own
 * posterior (or are its MAP etas with posterior: mode).
 */
export const calibratedCohort = z
  .object({
    file: z.string().min(1).describe('a fits file (CSV or Parquet), relative to the protocol file'),
    posterior: z
      .enum(['sample', 'mode'])
      .default('sample')
      .describe("sample: each twin's etas drawn from its patient's posterior; mode: the patient's MAP etas")
  })
  .strict();

export const cohortReference = z
  .object({
    file: z.string().optional().describe('a cohort file, relative to the protocol file'),
    spec: cohortSpec.optional().describe('an inline cohort spec, instead of file'),
    calibration: calibratedCohort
      .optional()
      .describe('twins of calibrated patients, instead of file or spec'),
    n: z
      .number()
      .int()
      .min(1)
      .max(MAX_TWINS)
      .optional()
      .describe(
        'number of twins (overrides the cohort spec; with calibration, default the number of patients, and any other n resamples them)'
      )
  })
  .strict()
  .describe('give file, spec or calibration');

export const regimen = z
  .object({
    dose: finite.refine((x) => x >= 0, 'a dose must not be negative').describe('amount per dose'),
    unit: z.enum(['mg', 'mg/kg', 'mg/m2']).default('mg'),
    target: z
      .string()
      .optional()
      .describe("the model's dose target (default: depot for oral models, else central)"),
    interval: positiveDuration.optional().describe('time between doses (omit for a single dose)'),
    doses: z.number().int().min(1).optional().describe('number of doses'),
    duration: positiveDuration.optional().describe('dosing period, instead of doses'),
    start: nonNegativeDuration.default(0),
    infusion: positiveDuration.optional().describe('zero-order infusion duration'),
    loadingDose: finite
      .refine((x) => x > 0, 'must be greater than 0')
      .optional()
      .describe('amount of the first dose'),
    strengths: z
      .array(positive)
      .optional()
      .describe(
        'available unit strengths: a weight- or BSA-based dose is rounded to a multiple of the smallest'
      ),
    steadyState: z.boolean().default(false).describe('start at steady state of this regimen')
  })
  .strict();

export const titrationRule = z
  .object({
    at: nonNegativeDuration.describe('visit time at which the rule is applied'),
    if: z.string().describe("condition on observed outputs at that visit, e.g. 'E > 140'"),
    dose: finite
      .refine((x) => x >= 0, 'a dose must not be negative')
      .describe('new amount per dose from then on')
  })
  .strict();

export const arm = z
  .object({
    name,
    description: z.string().optional(),
    placebo: z.boolean().default(false).describe('no active drug (the regimen, if any, gives dose 0)'),
    regimen: regimen.optional(),
    companion: regimen.optional().describe("the second drug's regimen in a combination arm (see companion)"),
    titration: z.array(titrationRule).default([])
  })
  .strict();

export const companion = z
  .object({
    name: z.string().min(1).describe('name of the second drug'),
    model: modelSpecSchema.describe("the second drug's model; its output adds to the primary model's"),
    effect: z
      .object({
        output: name.describe("the second drug's output holding its effect (a model whose baseline is 0)"),
        on: name.describe("the primary model's output it adds to")
      })
      .strict()
  })
  .strict()
  .describe('a second drug for combination arms: effects add (response additivity)');

export const allocation = z
  .object({
    ratio: z
      .array(finite.refine((x) => x > 0 && Number.isInteger(x), 'a ratio must be a whole number ≥ 1'))
      .optional()
      .describe('one whole number per arm (default 1:1:…)'),
    method: z
      .enum(['simple', 'block', 'stratified', 'minimisation'])
      .default('block')
      .describe('minimisation: Pocock–Simon over the strata covariates'),
    blockSize: z.number().int().min(1).optional().describe('default: twice the sum of the ratio'),
    strata: z
      .array(name)
      .default([])
      .describe('categorical or band covariates of the cohort (stratified, or the factors of minimisation)'),
    probability: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('minimisation: chance of an arm of least imbalance (default 0.8; 1 is deterministic)'),
    imbalance: z
      .enum(['range', 'variance'])
      .optional()
      .describe("minimisation: a factor level's imbalance across arms (default range)")
  })
  .strict();

export const visit = z.union([
  duration,
  z.object({ name: z.string().optional(), time: duration, window: nonNegativeDuration.optional() }).strict()
]);

export const samplingGrid = z
  .object({
    every: positiveDuration.describe('time between samples'),
    from: nonNegativeDuration.optional().describe('first sample (default 0)'),
    to: nonNegativeDuration
      .optional()
      .describe('last sample at or before this time (default: the end of the study)')
  })
  .strict()
  .describe('samples at from, from + every, … up to to');

export const schedule = z
  .object({
    duration: positiveDuration.describe('study duration'),
    visits: z.array(visit).min(1).describe('visit times; baseline is 0'),
    pkSampling: z
      .union([z.array(duration), samplingGrid])
      .default([])
      .describe('concentration sampling times besides the visits (NCA uses these and the visits)'),
    dense: positiveDuration
      .optional()
      .describe('also store every twin profile on this grid (e.g. 1h); changes no sample or endpoint')
  })
  .strict()
  .transform((s, ctx) => {
    // A sampling grid becomes its list of times.
    const g = s.pkSampling;
    if (Array.isArray(g)) return { ...s, pkSampling: g };
    const from = g.from ?? 0;
    const to = g.to ?? s.duration;
    if (to > s.duration) {
      ctx.addIssue({ code: 'custom', path: ['pkSampling', 'to'], message: 'is after the end of the study' });
      return z.NEVER;
    }
    if (from > to) {
      ctx.addIssue({ code: 'custom', path: ['pkSampling', 'from'], message: 'is after pkSampling.to' });
      return z.NEVER;
    }
    const count = Math.floor((to - from) / g.every + 1e-9) + 1;
    if (count > MAX_GRID_POINTS) {
      ctx.addIssue({
        code: 'custom',
        path: ['pkSampling', 'every'],
        message: `gives ${count.toLocaleString('en-US')} samples; at most ${MAX_GRID_POINTS.toLocaleString('en-US')}`
      });
      return z.NEVER;
    }
    return { ...s, pkSampling: Array.from({ length: count }, (_, k) => +(from + k * g.every).toFixed(9)) };
  });

/**
 * Strategies for intercurrent events (ICH E9(R1)), each an estimand of a visit endpoint
 * whose true value the runner computes from the twins (docs/estimands.md).
 */
export const ESTIMAND_STRATEGIES = [
  'treatment_policy',
  'hypothetical',
  'while_on_treatment',
  'composite'
] as const;
export type EstimandStrategy = (typeof ESTIMAND_STRATEGIES)[number];

const estimands = z
  .array(z.enum(ESTIMAND_STRATEGIES))
  .optional()
  .describe(
    'estimands whose true values the run computes: treatment_policy (the actual course), hypothetical (no discontinuation or rescue), while_on_treatment (the last visit on treatment), composite (discontinuation or rescue before the visit counts as failure)'
  );

const responderThreshold = z
  .object({
    below: finite.optional().describe('success: the measure is below this'),
    above: finite.optional().describe('success: the measure is above this')
  })
  .strict()
  .describe('give below or above');

const endpointBase = { name, description: z.string().optional(), primary: z.boolean().default(false) };

export const endpoint = z.discriminatedUnion('type', [
  z
    .object({
      ...endpointBase,
      type: z.literal('continuous'),
      variable: name.describe('a model output'),
      visit: duration,
      measure: z.enum(['value', 'change', 'percent_change']).default('change'),
      estimands,
      composite: responderThreshold
        .optional()
        .describe(
          "the composite estimand's success: the measure below (or above) this, with no discontinuation or rescue before the visit"
        )
    })
    .strict(),
  z
    .object({
      ...endpointBase,
      type: z.literal('responder'),
      variable: name,
      visit: duration,
      measure: z.enum(['value', 'change', 'percent_change']).default('change'),
      threshold: finite,
      direction: z
        .enum(['below', 'above'])
        .default('below')
        .describe('responders are below (or above) the threshold'),
      estimands
    })
    .strict(),
  z
    .object({
      ...endpointBase,
      type: z.literal('tte'),
      terminal: z
        .boolean()
        .default(false)
        .describe('the event ends follow-up (death): no observation or visit endpoint after it'),
      hazard: z
        .object({
          model: name
            .optional()
            .describe("a hazard the model declares (its 'hazards' block), in place of baseline and rate"),
          baseline: z.enum(['exponential', 'weibull', 'gompertz']).default('exponential'),
          rate: positive.optional().describe('per hour (required unless hazard.model is given)'),
          shape: positive.optional(),
          output: z.string().optional().describe('a model output whose value scales the hazard'),
          coefficient: finite.default(0).describe('log hazard ratio per unit of output'),
          covariates: z
            .record(z.string(), finite)
            .default({})
            .describe('log hazard ratio per unit of covariate')
        })
        .strict()
    })
    .strict(),
  z
    .object({
      ...endpointBase,
      type: z.literal('pk'),
      variable: name.default('C'),
      metric: z.enum(['auc', 'cmax', 'ctrough']),
      from: nonNegativeDuration.default(0),
      to: duration.optional().describe('end of the interval (default: last sample)')
    })
    .strict()
]);

export const dropout = z
  .object({
    rate: finite.refine((x) => x >= 0, 'must not be negative').describe('constant hazard per hour'),
    per: positiveDuration.optional().describe('express rate per this time instead of per hour, e.g. 4w'),
    informative: z
      .object({ variable: name, coefficient: finite })
      .strict()
      .optional()
      .describe('hazard × exp(coefficient × change from baseline of variable at the last visit)')
  })
  .strict();

/** A rule checked at visits on an output's observed value (with residual error). */
const visitRule = z
  .object({
    output: name.describe('a model output, read as observed at the visit (with residual error)'),
    above: finite.optional().describe('the rule fires when the observed value is above this'),
    below: finite.optional().describe('the rule fires when the observed value is below this')
  })
  .strict()
  .describe('give above or below');

const ruleVisits = z
  .array(duration)
  .optional()
  .describe('visits at which the rule is checked (default: every visit after baseline)');

export const discontinuationCause = z
  .object({
    reason: name.describe('the reason recorded with the event, e.g. adverse_event or lack_of_efficacy'),
    rate: finite
      .refine((x) => x >= 0, 'must not be negative')
      .optional()
      .describe('a constant hazard per hour (or per `per`)'),
    per: positiveDuration.optional().describe('express rate per this time instead of per hour, e.g. 1w'),
    probability: probability
      .refine((p) => p < 1, 'must be less than 1')
      .optional()
      .describe(
        'probability of discontinuing by the time `by`, instead of rate (a constant hazard −ln(1 − p)/by)'
      ),
    by: positiveDuration.optional().describe('the time at which `probability` is reached'),
    informative: z
      .object({ variable: name, coefficient: finite })
      .strict()
      .optional()
      .describe(
        'the hazard × exp(coefficient × change from baseline of variable at the last visit), as informative dropout'
      ),
    covariates: z
      .record(z.string(), finite)
      .optional()
      .describe(
        'the hazard × exp(Σ coefficient × covariate): log hazard ratio per unit of a cohort covariate'
      ),
    when: visitRule
      .optional()
      .describe('a rule at visits instead of a hazard: adverse event, lack of efficacy'),
    at: ruleVisits
  })
  .strict()
  .describe('give rate, probability or when');

export const rescue = z
  .object({
    when: visitRule,
    at: ruleVisits,
    effect: z
      .object({
        output: name.describe('the model output the rescue medication moves'),
        shift: finite.describe("the rescue's full effect, in the output's unit"),
        onset: positiveDuration.describe(
          'time constant of the onset: shift × (1 − exp(−(t − rescue time)/onset))'
        )
      })
      .strict()
  })
  .strict()
  .describe('rescue medication: from the first visit where the rule fires, its effect adds to the output');

export const intercurrent = z
  .object({
    discontinuation: z
      .array(discontinuationCause)
      .optional()
      .describe('causes of treatment discontinuation: the twin takes no further dose of the drug'),
    lossToFollowUp: probability
      .optional()
      .describe(
        'probability that a twin who discontinues is lost to follow-up from then on (otherwise its visits continue)'
      ),
    rescue: rescue.optional()
  })
  .strict()
  .describe('intercurrent events (docs/estimands.md)');

export const adherence = z
  .object({
    missedDose: probability
      .default(0)
      .describe('probability that a dosing occasion is missed (every drug due then is skipped)'),
    markov: z
      .object({
        stayMissing: probability.describe('probability that the occasion after a missed one is missed too')
      })
      .strict()
      .optional()
  })
  .strict();

export const protocolSpec = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    source: z.string().optional().describe('citation of the sources of the parameters'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
    cohort: cohortReference,
    design: z.enum(['parallel', 'crossover', 'counterfactual']).default('parallel'),
    crossover: z
      .object({ washout: nonNegativeDuration.describe('time between the two periods') })
      .strict()
      .optional()
      .describe('2×2 crossover: two arms, sequences AB and BA; each period lasts schedule.duration'),
    replicates: z.number().int().min(1).max(MAX_REPLICATES).default(1),
    model: modelSpecSchema.describe('the drug-effect model shared by the arms'),
    companion: companion.optional(),
    uncertainty: z
      .record(z.string(), positive)
      .default({})
      .describe(
        'SD of log typical value per parameter: each replicate trial draws its own population values'
      ),
    individual: z
      .record(z.string(), name)
      .default({})
      .describe('model parameters taken from a twin covariate, e.g. { E0: sbp }'),
    arms: z.array(arm).min(1),
    allocation: allocation.default({ method: 'block', strata: [] }),
    schedule,
    observe: z.array(name).optional().describe('model outputs recorded at visits (default: all)'),
    endpoints: z.array(endpoint).min(1),
    dropout: dropout.optional(),
    adherence: adherence.optional(),
    intercurrent: intercurrent.optional()
  })
  .strict();

export type ProtocolSpec = z.infer<typeof protocolSpec>;
export type ProtocolSpecInput = z.input<typeof protocolSpec>;
export type Arm = z.infer<typeof arm>;
export type Regimen = z.infer<typeof regimen>;
export type Endpoint = z.infer<typeof endpoint>;
export type CalibratedCohort = z.infer<typeof calibratedCohort>;
export type Intercurrent = z.infer<typeof intercurrent>;
