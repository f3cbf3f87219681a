import { posteriorParameters } from '../calibration/calibrated-cohort';
import { IndividualParameterModel, type ModelDefinition, type ModelSpec } from '../models';
import type { ParameterSource } from '../models/parameter-source';
import type { IssueList } from '../../spec/issues';
import type { CompiledParameters } from './compile-parameters';
import type { ResolvedProtocol } from './compile-trial-cohort';

/**
 * The trial's parameter source: the population model, or for twins of calibrated
 * patients each twin's posterior, with the cohort slots of the covariates it reads.
 */
export function compileParameterSource(
  protocol: ResolvedProtocol,
  model: ModelDefinition,
  modelSpec: ModelSpec,
  compiled: CompiledParameters,
  slotOf: (name: string) => number,
  issues: IssueList
): { parameters: ParameterSource; covariateSlots: Int32Array } {
  const population = new IndividualParameterModel(model, modelSpec, compiled.covariateNames);
  const calibration = protocol.cohort.calibration;
  let parameters: ParameterSource = population;
  if (calibration && protocol.imported) {
    parameters = posteriorParameters(calibration, protocol.imported, population, issues) ?? population;
    if (Object.keys(protocol.uncertainty).length) {
      issues.add(
        ['uncertainty'],
        `population uncertainty does not apply to calibrated twins (their parameters come from each patient's posterior, fitted under the model's population values)`
      );
    }
  }
  const covariateSlots =
    parameters === population
      ? compiled.covariateSlots
      : Int32Array.from(parameters.covariateNames, (n) => Math.max(slotOf(n), 0));
  return { parameters, covariateSlots };
}
