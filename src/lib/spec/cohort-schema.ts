import { z } from 'zod';
import { DERIVED_FORMULA_NAMES } from './derived-formula-names';
import { MAX_TWINS } from './limits';

/**
 * The cohort file format (cohorts/*.yaml). This zod schema is the single source of the
 * TypeScript types and of static/schema/cohort.schema.json. Cross-field rules (names
 * that must exist, a positive-definite correlation matrix, criteria that parse) are
 * checked by validateCohortSpec, which reports every problem with its field path.
 */

const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name starts with a letter or _ and has only letters, digits and _');

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((x) => x > 0, 'must be greater than 0');

export const normalDistribution = z
  .object({ kind: z.literal('normal'), mean: finite, sd: positive })
  .strict()
  .describe('Normal(mean, sd)');
export const lognormalDistribution = z
  .object({
    kind: z.literal('lognormal'),
    meanlog: finite.optional().describe('mean of log(x)'),
    sdlog: positive.optional().describe('SD of log(x)'),
    median: positive.optional().describe('median = exp(meanlog); alternative to meanlog'),
    cv: positive.optional().describe('coefficient of variation; alternative to sdlog')
  })
  .strict()
  .describe('Log-normal: give meanlog or median, and sdlog or cv');
export const truncatedNormalDistribution = z
  .object({
    kind: z.literal('truncnormal'),
    mean: finite,
    sd: positive,
    lower: finite.optional(),
    upper: finite.optional()
  })
  .strict()
  .describe('Normal(mean, sd) truncated to [lower, upper]');
export const uniformDistribution = z
  .object({ kind: z.literal('uniform'), min: finite, max: finite })
  .strict()
  .describe('Uniform on [min, max]');
export const empiricalDistribution = z
  .object({
    kind: z.literal('empirical'),
    quantiles: z
      .array(z.tuple([finite, finite]))
      .min(2)
      .describe('[probability, value] pairs from p=0 to p=1, both increasing; linear in between')
  })
  .strict()
  .describe('Empirical quantile table');

export const DISTRIBUTION_KINDS = ['normal', 'lognormal', 'truncnormal', 'uniform', 'empirical'] as const;

export const distribution = z.discriminatedUnion('kind', [
  normalDistribution,
  lognormalDistribution,
  truncatedNormalDistribution,
  uniformDistribution,
  empiricalDistribution
]);

const probability = finite.refine((p) => p >= 0 && p <= 1, 'must be a probability between 0 and 1');

export const continuousCovariate = z
  .object({
    name,
    type: z.literal('continuous'),
    unit: z.string().optional(),
    description: z.string().optional(),
    by: name
      .optional()
      .describe('a categorical covariate defined earlier; distribution then maps level → distribution'),
    distribution: z.union([distribution, z.record(z.string(), distribution)]),
    decimals: z
      .number()
      .int()
      .min(0)
      .max(12)
      .optional()
      .describe('round generated values to this many decimals')
  })
  .strict();

export const categoricalCovariate = z
  .object({
    name,
    type: z.literal('categorical'),
    description: z.string().optional(),
    by: name
      .optional()
      .describe('a categorical covariate defined earlier; levels then maps its level → probabilities'),
    levels: z.union([
      z.record(z.string(), probability),
      z.record(z.string(), z.record(z.string(), probability))
    ])
  })
  .strict()
  .describe('levels: { level: probability } summing to 1 (or, with by, one such map per level of by)');

export const binaryCovariate = z
  .object({
    name,
    type: z.literal('binary'),
    description: z.string().optional(),
    by: name.optional(),
    p: z.union([probability, z.record(z.string(), probability)]).describe('probability of 1')
  })
  .strict();

export const bandCovariate = z
  .object({
    name,
    type: z.literal('band'),
    description: z.string().optional(),
    of: name.describe('a continuous covariate defined earlier'),
    breaks: z.array(finite).min(1).describe('increasing cut points; band k is [breaks[k-1], breaks[k])'),
    labels: z.array(z.string()).min(2).describe('one label per band: breaks.length + 1 labels')
  })
  .strict()
  .describe('A categorical covariate cut from a continuous one (such as an age band)');

export const COVARIATE_TYPES = ['continuous', 'categorical', 'binary', 'band'] as const;

export const covariate = z.discriminatedUnion('type', [
  continuousCovariate,
  categoricalCovariate,
  binaryCovariate,
  bandCovariate
]);

export const correlation = z
  .object({
    variables: z.array(name).min(2).describe('continuous covariates, in the order of the matrix rows'),
    matrix: z.array(z.array(finite)).describe('correlation matrix of the Gaussian copula')
  })
  .strict();

export const derivedCovariate = z
  .object({
    name,
    formula: z.enum(DERIVED_FORMULA_NAMES).optional(),
    expr: z.string().optional().describe('an expression over earlier covariates, instead of a named formula'),
    unit: z.string().optional(),
    inputs: z
      .record(z.string(), name)
      .optional()
      .describe('covariate for each input role (weight, height, age, scr, sex); defaults to the role name'),
    female: z.string().optional().describe("level of the sex covariate meaning female (default 'F')"),
    decimals: z.number().int().min(0).max(12).optional()
  })
  .strict()
  .describe('give formula or expr');

export const criterion = z.union([z.string(), z.object({ name: z.string(), expr: z.string() }).strict()]);

export const importSource = z
  .object({
    file: z.string().describe('CSV or Parquet file, one row per twin, relative to the cohort file'),
    bootstrap: z.boolean().default(false).describe('resample rows with replacement to reach n'),
    categorical: z
      .array(name)
      .optional()
      .describe('columns to treat as categorical (text columns always are)')
  })
  .strict();

export const cohortSpec = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    source: z.string().optional().describe('citation of the public source of the numbers'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
    n: z.number().int().min(1).max(MAX_TWINS).default(1000),
    covariates: z.array(covariate).default([]),
    correlations: z.array(correlation).default([]),
    derived: z.array(derivedCovariate).default([]),
    criteria: z.array(criterion).default([]),
    import: importSource.optional(),
    screening: z
      .object({
        minAcceptance: probability
          .default(0.001)
          .describe('the smallest acceptance rate of the criteria; a lower one is an error, never a hang')
      })
      .strict()
      .optional()
  })
  .strict();

export type CohortSpec = z.infer<typeof cohortSpec>;
export type CohortSpecInput = z.input<typeof cohortSpec>;
export type Distribution = z.infer<typeof distribution>;
export type Covariate = z.infer<typeof covariate>;
export type DerivedCovariate = z.infer<typeof derivedCovariate>;
export type Correlation = z.infer<typeof correlation>;
