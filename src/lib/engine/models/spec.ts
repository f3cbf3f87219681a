/**
 * The model section of a protocol, as zod schemas: model reference, typical-value
 * overrides, between-subject variability (full omega matrix; log-normal, logit-normal
 * or normal etas), covariate effects and residual error per output, solver settings.
 * `parseModelSpec` reports every problem with its field path, e.g.
 * `iiv.omega: must be symmetric positive definite` or
 * `covariates[0].parameter: model pk2cmt_oral has no parameter 'CLX'`.
 */
import { z } from 'zod';
import { cholesky } from '../linalg/cholesky';
import { compileModelText, MAX_MODEL_BYTES, ModelLanguageError } from '../model-language';
import { resolveModel } from './registry';
import type { ModelDefinition } from './modelDefinition';

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
    if (!cholesky(iiv.omega, 0)) {
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

/**
 * A model text's own variability and residual error, under the protocol's: the
 * protocol's `iiv` replaces the model's, its residual error replaces the model's output
 * by output.
 */
function withModelDefaults(spec: ModelSpec, defaults: ModelSpec): ModelSpec {
  const residualError = { ...defaults.residualError, ...spec.residualError };
  return {
    ...spec,
    iiv: spec.iiv ?? defaults.iiv,
    ...(Object.keys(residualError).length ? { residualError } : {})
  };
}

/** Thrown when a spec names a model file nobody read into its text. */
export class UnreadModelFileError extends Error {
  constructor(readonly file: string) {
    super(
      `the model file '${file}' was not read (a protocol's model file is read when the protocol is loaded)`
    );
    this.name = 'UnreadModelFileError';
  }
}

/** The model text a spec carries, compiled (a file's text must have been read in). */
function compileSpecText(model: Exclude<ModelSpec['model'], string>) {
  if (model.text === undefined) throw new UnreadModelFileError(model.file!);
  return compileModelText(model.text, model.file);
}

/** The model a spec names or carries (for views that only need its declarations). */
export function resolveSpecModel(model: ModelSpec['model']): ModelDefinition {
  return typeof model === 'string' ? resolveModel(model) : compileSpecText(model).model;
}

/** Thrown with one line per problem, each starting with its field path. */
export class ModelSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid model spec:\n  ${problems.join('\n  ')}`);
    this.name = 'ModelSpecError';
  }
}

function formatPath(path: readonly PropertyKey[], prefix: string): string {
  let s = prefix;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(root)';
}

/**
 * Parses and validates a model spec (e.g. from protocol YAML) against the schema and
 * against the named model's parameters and outputs. `pathPrefix` is prepended to field
 * paths (e.g. 'arms[1].model').
 */
export function parseModelSpec(input: unknown, pathPrefix = ''): { spec: ModelSpec; model: ModelDefinition } {
  const parsed = modelSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new ModelSpecError(
      parsed.error.issues.map((i) => `${formatPath(i.path, pathPrefix)}: ${i.message}`)
    );
  }
  let spec = parsed.data;
  let model: ModelDefinition;
  try {
    if (typeof spec.model === 'string') model = resolveModel(spec.model);
    else {
      const compiled = compileSpecText(spec.model);
      model = compiled.model;
      spec = withModelDefaults(spec, compiled.defaults);
    }
  } catch (e) {
    const lines = e instanceof ModelLanguageError ? e.message.split('\n') : [(e as Error).message];
    throw new ModelSpecError(lines.map((l) => `${formatPath(['model'], pathPrefix)}: ${l}`));
  }
  const problems: string[] = [];
  const params = new Set(model.parameters.map((p) => p.name));
  const outputs = new Set(model.outputs.map((o) => o.name));
  const at = (...path: PropertyKey[]) => formatPath(path, pathPrefix);
  const noParam = (n: string) =>
    `model ${model.name} has no parameter '${n}' (has ${[...params].join(', ')})`;
  for (const k of Object.keys(spec.parameters ?? {}))
    if (!params.has(k)) problems.push(`${at('parameters', k)}: ${noParam(k)}`);
  spec.iiv?.parameters.forEach((p, i) => {
    if (!params.has(p)) problems.push(`${at('iiv', 'parameters', i)}: ${noParam(p)}`);
  });
  for (const k of Object.keys(spec.iiv?.transforms ?? {}))
    if (!spec.iiv!.parameters.includes(k))
      problems.push(`${at('iiv', 'transforms', k)}: '${k}' is not in iiv.parameters`);
  for (const [k, [lo, hi]] of Object.entries(spec.iiv?.bounds ?? {}))
    if (!(lo < hi)) problems.push(`${at('iiv', 'bounds', k)}: lower bound must be below upper bound`);
  spec.covariates?.forEach((c, i) => {
    if (!params.has(c.parameter))
      problems.push(`${at('covariates', i, 'parameter')}: ${noParam(c.parameter)}`);
  });
  for (const k of Object.keys(spec.residualError ?? {}))
    if (!outputs.has(k))
      problems.push(
        `${at('residualError', k)}: model ${model.name} has no output '${k}' (has ${[...outputs].join(', ')})`
      );
  if (problems.length) throw new ModelSpecError(problems);
  return { spec, model };
}
