import { IndividualParameterModel } from '../models';
import type { ParameterSource } from '../models/parameter-source';
import { purposeHash, RandomStream } from '../rng';
import type { TrialPlan } from './compile-protocol';

const UNCERTAINTY = purposeHash('uncertainty');

/**
 * The individual parameters of a chunk's twins (row j: twin ids[j]), from the plan's
 * parameter source (IIV and covariate effects, or each calibrated twin's posterior),
 * keyed by (replicate seed, twin id); then the parameters a twin carries as covariates
 * (`individual`) overwrite theirs.
 */
export function chunkParameters(
  plan: TrialPlan,
  replicate: number,
  seed: number,
  ids: Int32Array,
  columns: Float64Array[]
): Float64Array {
  const count = ids.length;
  const nCov = plan.covariateSlots.length;
  const cov = new Float64Array(count * nCov);
  for (let j = 0; j < count; j++)
    for (let c = 0; c < nCov; c++) cov[j * nCov + c] = columns[plan.covariateSlots[c]][j];
  const nP = plan.parameters.nParameters;
  const params = replicateParameters(plan, replicate).fill(seed, ids, cov, new Float64Array(count * nP));
  for (const { parameter, slot } of plan.individual) {
    for (let j = 0; j < count; j++) params[j * nP + parameter] = columns[slot][j];
  }
  return params;
}

const replicateModels = new WeakMap<TrialPlan, Map<number, IndividualParameterModel>>();

/**
 * The parameter source of a replicate: with parameter uncertainty, each replicate draws
 * its own typical values, log-normally around the protocol's, from
 * (protocol seed, 'uncertainty', parameter, replicate).
 */
function replicateParameters(plan: TrialPlan, replicate: number): ParameterSource {
  if (!plan.uncertainty.length) return plan.parameters;
  let cache = replicateModels.get(plan);
  if (!cache) replicateModels.set(plan, (cache = new Map()));
  let model = cache.get(replicate);
  if (!model) {
    const rng = new RandomStream();
    const parameters: Record<string, number> = {};
    for (const p of plan.model.parameters)
      parameters[p.name] = plan.modelSpec.parameters?.[p.name] ?? p.value;
    for (const u of plan.uncertainty) {
      const name = plan.model.parameters[u.parameter].name;
      parameters[name] *= Math.exp(
        u.sd * rng.reset(plan.protocol.seed, UNCERTAINTY, u.parameter + 1, replicate).normal()
      );
    }
    model = new IndividualParameterModel(plan.model, { ...plan.modelSpec, parameters }, plan.covariateNames);
    cache.set(replicate, model);
  }
  return model;
}
