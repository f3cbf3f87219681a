/**
 * The model section of a protocol, as zod schemas: model reference, typical-value
 * overrides, between-subject variability (full omega matrix; log-normal, logit-normal
 * or normal etas), covariate effects and residual error per output, solver settings.
 * Checks against the named model (its parameters and outputs) are the engine's:
 * `parseModelSpec` in `engine/models/spec.ts`.
 */
import { z } from 'zod';
import { cholesky } from '../linalg/cholesky';
import { MAX_MODEL_BYTES } from './limits';

/** Whether a symmetric matrix is positive definite (its Cholesky factorisation exists). */
const isPositiveDefinite = (a: readonly (readonly number[])[]): boolean => cholesky(a, 0) !== null;

const name = z.string().min(1);
const finite = z.number().finite();

export const covariateEffectSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('power'),
    parameter: name,
    covariate: name,
    reference: finite.positive(),
    exponent: finite
  }),
  z.object({ type: z.literal('linear'), parameter: name, covariate: name, reference: finite, slope: finite }),
  z.object({
    type: z.literal('exponential'),
    parameter: name,
    covariate: name,
    reference: finite,
    coefficient: finite
  }),
  z.object({
    type: z.literal('categorical'),
    parameter: name,
    covariate: name,
    /** Multiplier per category code (the covariate's numeric level, as a string); others ×1. */
    multipliers: z.record(z.string(), finite.positive())
  })
]);

export const etaTransformSchema = z.enum(['lognormal', 'logitnormal', 'normal']);

export const iivSchema = z
  .object({
    parameters: z.array(name).min(1),
    /** Full covariance matrix of the etas (variances on the diagonal). */
    omega: z.array(z.array(finite)),
    transforms: z.record(z.string(), etaTransformSchema).optional(),
    /** [lower, upper] for logit-normal parameters (default [0, 1]). */
    bounds: z.record(z.string(), z.tuple([finite, finite])).optional()
  })
  .superRefine((iiv, ctx) => {
    const n = iiv.parameters.length;
    if (iiv.omega.length !== n || iiv.omega.some((row) => row.length !== n)) {
      ctx.addIssue({
        code: 'custom',
        path: ['omega'],
        message: `must be a ${n}×${n} matrix (one row per parameter)`
      });
      return;
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++)
        if (Math.abs(iiv.omega[i][j] - iiv.omega[j][i]) > 1e-12 * Math.max(1, Math.abs(iiv.omega[i][j]))) {
          ctx.addIssue({ code: 'custom', path: ['omega', i, j], message: 'omega must be symmetric' });
          return;
        }
    if (!isPositiveDefinite(iiv.omega)) {
      ctx.addIssue({ code: 'custom', path: ['omega'], message: 'must be symmetric positive definite' });
    }
  });

export const residualErrorSchema = z
  .object({
    type: z.enum(['additive', 'proportional', 'combined', 'exponential']),
    /** SD of the additive part (output units); for 'exponential' the SD on the log scale. */
    additive: finite.nonnegative().optional(),
    /** SD of the proportional part (fraction of the prediction). */
    proportional: finite.nonnegative().optional(),
    /** Lower limit of quantification: observations below are flagged BLQ. */
    lloq: finite.positive().optional()
  })
  .superRefine((r, ctx) => {
    const needs: Record<string, ('additive' | 'proportional')[]> = {
      additive: ['additive'],
      proportional: ['proportional'],
      combined: ['additive', 'proportional'],
      exponential: ['additive']
    };
    for (const field of needs[r.type]) {
      if (r[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `required for ${r.type} residual error` });
      }
    }
  });

export const solverSpecSchema = z.object({
  mode: z.enum(['auto', 'closedForm', 'hybrid', 'ode']).optional(),
  solver: z.enum(['auto', 'explicit', 'stiff']).optional(),
  rtol: finite.positive().optional(),
  atol: finite.positive().optional(),
  maxSteps: z.number().int().positive().optional()
});

const MODEL_FORMS =
  "must be a model name such as 'pk2cmt_oral+idr1', { file: <a model file> } " +
  'or { text: <the model in the model language> }';

/**
 * A model written in the model language: its text, or the file holding it. A protocol
 * loader reads `file` (relative to the protocol) into `text`, so the model travels as
 * text to the workers and into the run's recorded protocol; once `text` is there,
 * `file` only names where it came from, for its problems' file:line:col.
 */
export const modelTextSchema = z
  .object({
    text: z.string().max(MAX_MODEL_BYTES, `a model text is at most ${MAX_MODEL_BYTES} characters`).optional(),
    file: z.string().min(1).optional()
  })
  .strict()
  .refine((m) => m.text !== undefined || m.file !== undefined, { error: () => MODEL_FORMS });

export const modelSpecSchema = z.object({
  /** Registry name, e.g. 'pk2cmt_oral+idr1' or 'tmdd_full', or a model text. */
  model: z.union([name, modelTextSchema], { error: () => MODEL_FORMS }),
  /** Typical-value overrides by parameter name. */
  parameters: z.record(z.string(), finite).optional(),
  iiv: iivSchema.optional(),
  covariates: z.array(covariateEffectSchema).optional(),
  /** Residual error by output name. */
  residualError: z.record(z.string(), residualErrorSchema).optional(),
  solver: solverSpecSchema.optional()
});

export type CovariateEffect = z.infer<typeof covariateEffectSchema>;
export type IivSpec = z.infer<typeof iivSchema>;
export type ResidualErrorSpec = z.infer<typeof residualErrorSchema>;
export type ModelSpec = z.infer<typeof modelSpecSchema>;
