import { resolveRegimen, type Dose, type ModelSpec } from '../models';
import type { CompiledCompanion } from './compile-companion';
import type { CompiledArm } from './compile-arms';
import { failIfNotFinite, whyNotFinite } from './non-finite-twin';
import { regimenDoses } from './regimen-doses';
import { replicateSeed } from './replicate-seed';
import { TwinSimulationError } from './twin-simulation-error';

/** The companion drug's parameters use the streams of this pseudo-replicate of the
 * replicate's seed, so they are independent of the primary model's. */
export const COMPANION_STREAM = 0x7fff0000;

/**
 * The second drug of a chunk's combination arms: its twins' parameters (drawn once per
 * chunk), its doses in each period, and its effect simulated with its own model and
 * added to the primary model's output before residual error (response additivity).
 */
export class CompanionDrug {
  private readonly params: Float64Array;
  private readonly pred: Float64Array;

  /** `columns`: the chunk's cohort columns; `nTT`: grid points over every period. */
  constructor(
    private readonly c: CompiledCompanion,
    /** Where a twin's problems are reported: the protocol's companion model reference. */
    private readonly ref: ModelSpec['model'],
    seed: number,
    ids: Int32Array,
    columns: Float64Array[],
    nTT: number
  ) {
    const nCov = c.covariateSlots.length;
    const cov = new Float64Array(ids.length * nCov);
    for (let j = 0; j < ids.length; j++)
      for (let k = 0; k < nCov; k++) cov[j * nCov + k] = columns[c.covariateSlots[k]][j];
    this.params = c.parameters.fill(
      replicateSeed(seed, COMPANION_STREAM),
      ids,
      cov,
      new Float64Array(ids.length * c.parameters.nParameters)
    );
    this.pred = new Float64Array(c.model.outputs.length * nTT);
  }

  /** Its doses over the periods (period p starts at p × periodOffset), following each
   * period's arm: none in an arm without the companion. */
  doses(
    arms: CompiledArm[],
    periodArms: number[],
    duration: number,
    periodOffset: number,
    weight: number,
    bsa: number
  ): Dose[] {
    const doses: Dose[] = [];
    periodArms.forEach((a, p) => {
      const ca = arms[a].companion;
      if (!ca) return;
      for (const d of regimenDoses(ca, duration, weight, bsa))
        doses.push({ ...d, time: d.time + p * periodOffset });
    });
    return doses;
  }

  /**
   * Adds the effect of `doses` for chunk twin j (id `id`) to the primary predictions
   * `pred` (outputs × times.length); a twin's non-finite value throws a
   * TwinSimulationError at `twin`. No doses, no effect.
   */
  addEffect(j: number, id: number, doses: Dose[], times: Float64Array, pred: Float64Array, twin: string) {
    if (!doses.length) return;
    const c = this.c;
    const nTT = times.length;
    const nP2 = c.parameters.nParameters;
    const p2 = this.params.subarray(j * nP2, (j + 1) * nP2);
    const at = `${twin}, ${c.name}`;
    try {
      c.simulator.simulateTwin(p2, 0, resolveRegimen(c.model, doses), times, this.pred, id);
    } catch (e) {
      const failure = (e as Error).message;
      throw new TwinSimulationError(
        `${at}: ${whyNotFinite(this.ref, c.model, p2, doses, times, { failure })}`,
        id
      );
    }
    failIfNotFinite(at, id, this.ref, c.model, p2, doses, times, this.pred);
    for (let k = 0; k < nTT; k++) pred[c.to * nTT + k] += this.pred[c.from * nTT + k];
  }
}
