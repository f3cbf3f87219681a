import { generateCohortChunk } from '../cohort';
import { resolveRegimen, type Dose } from '../models';
import type { TrialPlan } from './compile-protocol';
import { failIfNotFinite } from './non-finite-twin';
import { regimenDoses } from './regimen-doses';
import { replicateSeed } from './replicate-seed';
import { COMPANION_STREAM } from './companion-drug';

/**
 * One twin exactly as replicate 0 of a run would have it (covariates, individual
 * parameters, weight and BSA), for predictions outside a run: `twinbench simulate`,
 * the protocol preview, and tests against reference solvers.
 */
export interface PredictionTwin {
  id: number;
  params: Float64Array;
  /** The companion drug's parameters (combination arms), if the protocol has one. */
  companionParams?: Float64Array;
  weight: number;
  bsa: number;
}

export function predictionTwin(plan: TrialPlan, id: number): PredictionTwin {
  const seed = replicateSeed(plan.protocol.seed, 0);
  const twin = generateCohortChunk(plan.cohort, seed, id, 1);
  const cov = Float64Array.from(plan.covariateSlots, (s) => twin.columns[s][0]);
  const params = plan.parameters.fill(seed, [id], cov, new Float64Array(plan.parameters.nParameters));
  for (const { parameter, slot } of plan.individual) params[parameter] = twin.columns[slot][0];
  const c = plan.companion;
  const companionParams = c
    ? c.parameters.fill(
        replicateSeed(seed, COMPANION_STREAM),
        [id],
        Float64Array.from(c.covariateSlots, (s) => twin.columns[s][0]),
        new Float64Array(c.parameters.nParameters)
      )
    : undefined;
  return {
    id,
    params,
    companionParams,
    weight: plan.weightSlot >= 0 ? twin.columns[plan.weightSlot][0] : NaN,
    bsa: plan.bsaSlot >= 0 ? twin.columns[plan.bsaSlot][0] : NaN
  };
}

/** The twin's nominal doses under an arm (no missed doses, no titration). */
export function predictionDoses(plan: TrialPlan, twin: PredictionTwin, arm: number): Dose[] {
  return regimenDoses(plan.arms[arm], plan.protocol.schedule.duration, twin.weight, twin.bsa);
}

/**
 * The twin's predicted outputs (no residual error) under an arm at `times`:
 * out[o · times.length + k].
 */
export function predictTwin(
  plan: TrialPlan,
  twin: PredictionTwin,
  arm: number,
  times: Float64Array,
  out = new Float64Array(plan.model.outputs.length * times.length)
): Float64Array {
  const doses = predictionDoses(plan, twin, arm);
  plan.simulator.simulateTwin(twin.params, 0, resolveRegimen(plan.model, doses), times, out, twin.id);
  // As in a run: a prediction that is not finite is an error naming the twin and statement.
  const label = `twin ${twin.id}, arm ${plan.arms[arm].name}`;
  failIfNotFinite(label, twin.id, plan.modelSpec.model, plan.model, twin.params, doses, times, out);
  const c = plan.companion;
  const companionArm = plan.arms[arm].companion;
  if (c && companionArm && twin.companionParams) {
    const doses = regimenDoses(companionArm, plan.protocol.schedule.duration, twin.weight, twin.bsa);
    const second = new Float64Array(c.model.outputs.length * times.length);
    c.simulator.simulateTwin(twin.companionParams, 0, resolveRegimen(c.model, doses), times, second, twin.id);
    const ref = plan.protocol.companion!.model.model;
    failIfNotFinite(`${label}, ${c.name}`, twin.id, ref, c.model, twin.companionParams, doses, times, second);
    for (let k = 0; k < times.length; k++) out[c.to * times.length + k] += second[c.from * times.length + k];
  }
  return out;
}
