import type { TrialChunk, TrialPlan } from '../engine/trial';

/**
 * A replicate trial's true effect of each estimand in each active arm: the mean over its twins
 * of the per-twin difference between the arm and the control (every twin has a true value
 * under every arm, engine/trial/estimand-truth.ts), written into `out` from `offset`,
 * estimand-major then active arm. `estimands` are indices into plan.estimands.
 */
export function replicateTrueEffects(
  chunk: TrialChunk,
  plan: TrialPlan,
  estimands: readonly number[],
  control: number,
  out: Float64Array,
  offset: number
): void {
  const nArms = plan.arms.length;
  const K = plan.estimands.length * nArms;
  const twins = K ? chunk.truth.length / K : 0;
  let k = offset;
  for (const s of estimands) {
    for (let a = 0; a < nArms; a++) {
      if (a === control) continue;
      let sum = 0;
      for (let j = 0; j < twins; j++) {
        const at = j * K + s * nArms;
        sum += chunk.truth[at + a] - chunk.truth[at + control];
      }
      out[k++] = twins ? sum / twins : NaN;
    }
  }
}
