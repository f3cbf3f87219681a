/**
 * The model section of a protocol checked against its model. The zod schemas and the
 * spec types are the spec layer's (`spec/model-schema.ts`, re-exported here);
 * `parseModelSpec` reports every problem with its field path, e.g.
 * `iiv.omega: must be symmetric positive definite` or
 * `covariates[0].parameter: model pk2cmt_oral has no parameter 'CLX'`.
 */
import { modelSpecSchema, type ModelSpec } from '../../spec/model-schema';
import { compileModelText, ModelLanguageError } from '../model-language';
import { resolveModel } from './registry';
import type { ModelDefinition } from './modelDefinition';

export {
  covariateEffectSchema,
  etaTransformSchema,
  iivSchema,
  residualErrorSchema,
  solverSpecSchema,
  modelTextSchema,
  modelSpecSchema
} from '../../spec/model-schema';
export type { CovariateEffect, IivSpec, ResidualErrorSpec, ModelSpec } from '../../spec/model-schema';

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
