import type { ModelDefinition, ModelSpec } from '../models';
import type { IssueList } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import type { TrialCohort } from './compile-trial-cohort';
import { uniqueIivParameters } from './model-spec-issues';

/** Where the population model's individual parameters come from in the cohort. */
export interface CompiledParameters {
  /** The covariates the parameter model reads: the spec's, then the model text's own. */
  covariateNames: string[];
  /** Their cohort column slots. */
  covariateSlots: Int32Array;
  /** Parameters taken from twin covariates: parameter index → cohort slot. */
  individual: { parameter: number; slot: number }[];
  /** Per-replicate uncertainty of typical values: parameter index and SD of its log. */
  uncertainty: { parameter: number; sd: number }[];
}

/** Checks the model's covariates, `individual` and `uncertainty` against the cohort and model. */
export function compileParameters(
  protocol: ProtocolSpec,
  model: ModelDefinition,
  modelSpec: ModelSpec,
  cohort: TrialCohort,
  issues: IssueList
): CompiledParameters {
  uniqueIivParameters(issues, modelSpec, ['model']);
  const specCovariates = (modelSpec.covariates ?? []).map((c) => c.covariate);
  // A model text's own covariate statements name cohort covariates too.
  const modelCovariates = model.covariateEffects?.covariates ?? [];
  const covariateNames = [...new Set([...specCovariates, ...modelCovariates])];
  const covariateSlots = Int32Array.from(covariateNames, (n) => {
    const s = cohort.slotOf(n);
    if (s < 0) {
      const at = specCovariates.indexOf(n);
      issues.add(
        at >= 0 ? ['model', 'covariates', at, 'covariate'] : ['model', 'model'],
        `the cohort has no covariate '${n}' (has ${cohort.names})`
      );
    }
    return s < 0 ? 0 : s;
  });
  const parameterIndex = (param: string, at: string): number => {
    const parameter = model.parameters.findIndex((p) => p.name === param);
    if (parameter < 0) {
      issues.add(
        [at, param],
        `model ${model.name} has no parameter '${param}' (has ${model.parameters.map((p) => p.name).join(', ')})`
      );
    }
    return parameter;
  };
  const individual = Object.entries(protocol.individual).map(([param, column]) => {
    const parameter = parameterIndex(param, 'individual');
    const slot = cohort.slotOf(column);
    if (slot < 0)
      issues.add(['individual', param], `the cohort has no covariate '${column}' (has ${cohort.names})`);
    return { parameter: Math.max(parameter, 0), slot: Math.max(slot, 0) };
  });
  const uncertainty = Object.entries(protocol.uncertainty).map(([param, sd]) => ({
    parameter: parameterIndex(param, 'uncertainty'),
    sd
  }));
  return { covariateNames, covariateSlots, individual, uncertainty };
}
