// One reference-based multiple-imputation draw (Carpenter, Roger & Kenward 2013, J Biopharm Stat
// 23:1352–1371): a subject of an active arm is imputed after dropout as if, from then on, they
// followed the reference arm in one of three ways:
//   jump to reference (J2R): the mean after dropout is the reference arm's;
//   copy reference (CR): the subject's whole mean profile is the reference arm's;
//   copy increments from reference (CIR): the mean keeps the subject's own arm's value at the
//     last observed visit and moves on by the reference arm's increments after it.
// We use the paper's multivariate-normal formulation, each arm's mean and covariance drawn from
// their posterior, reached through its sequential (factored) form: imputeMar draws every arm's
// sequential regression model, which is its multivariate normal N(μ_a(b), Σ_a) given the baseline
// b, and imputes intermittent gaps under MAR. After dropout at visit d, with the paper's joint
// covariance (Σ_a before dropout, the reference's conditional after it), the post-dropout values
// given the earlier ones are those of N(μ̃, Σ_ref): sequentially
//   y_v = μ̃_v + Σ_{j<v} Γ_ref[v, j] (y_j − μ̃_j) + σ_ref,v z,   v > d,
// with Γ_ref, σ_ref the reference's drawn regression coefficients and residual SDs and μ̃ the
// method's mean profile built from μ_a(b) and μ_ref(b). Subjects of the reference arm, and
// intermittent gaps of everyone, keep their MAR values.
import type { RandomStream } from '../engine/rng';
import { StatsInputError } from './errors';
import { imputeMar, type ImputationModel, type SequentialModel } from './imputeMar';
import type { RepeatedMeasures } from './repeatedMeasures';

export type ReferenceBasedMethod = 'j2r' | 'cr' | 'cir';

export const REFERENCE_BASED_METHODS: readonly ReferenceBasedMethod[] = ['j2r', 'cr', 'cir'];

/** μ(b) of an arm's sequential model: μ_v = intercept_v + baseline_v·b + Σ_{j<v} previous_vj μ_j. */
function meanProfile(m: SequentialModel, b: number, V: number, out: Float64Array): void {
  for (let v = 0; v < V; v++) {
    let mu = m.intercept[v] + m.baseline[v] * b;
    for (let j = 0; j < v; j++) mu += m.previous[v * V + j] * out[j];
    out[v] = mu;
  }
}

/**
 * Draws one reference-based imputation from `stream`; `reference` is an index into `data.arms`
 * (default 0, the control). Returns the completed outcomes, subject-major like `data.y`.
 */
export function imputeReferenceBased(
  data: RepeatedMeasures,
  stream: RandomStream,
  method: ReferenceBasedMethod,
  reference = 0,
  model: ImputationModel = 'by-arm'
): Float64Array {
  if (!REFERENCE_BASED_METHODS.includes(method)) {
    throw new StatsInputError(
      `reference-based method "${method}" is not one of ${REFERENCE_BASED_METHODS.join(', ')}`
    );
  }
  if (!(Number.isInteger(reference) && reference >= 0 && reference < data.arms.length)) {
    throw new RangeError(`reference arm index ${reference} is out of range`);
  }
  const { y, models } = imputeMar(data, stream, model);
  const { nSubjects: S, nVisits: V, baseline } = data;
  const ref = models[reference];
  const muOwn = new Float64Array(V);
  const muRef = new Float64Array(V);
  const mu = new Float64Array(V);
  for (let s = 0; s < S; s++) {
    const a = data.arm[s];
    if (a === reference) continue;
    let last = -1; // last observed visit
    for (let v = V - 1; v >= 0; v--) {
      if (!Number.isNaN(data.y[s * V + v])) {
        last = v;
        break;
      }
    }
    if (last === V - 1) continue;
    const b = baseline ? baseline[s] : 0;
    meanProfile(models[a], b, V, muOwn);
    meanProfile(ref, b, V, muRef);
    for (let v = 0; v < V; v++) {
      if (method === 'cr') mu[v] = muRef[v];
      else if (v <= last) mu[v] = muOwn[v];
      else if (method === 'j2r' || last < 0) mu[v] = muRef[v];
      else mu[v] = muOwn[last] + muRef[v] - muRef[last];
    }
    const o = s * V;
    for (let v = last + 1; v < V; v++) {
      let value = mu[v];
      for (let j = 0; j < v; j++) value += ref.previous[v * V + j] * (y[o + j] - mu[j]);
      y[o + v] = value + ref.sigma[v] * stream.normal();
    }
  }
  return y;
}
