/**
 * Exact simulation of a linear PK model with a stateless PD block (none, linear, Emax,
 * sigmoid Emax): the modal state is advanced from event to event and output to output,
 * O(doses + times) per twin, no ODE solver involved.
 */
import type { ResolvedRegimen } from './dosing';
import { LinearPkTwin } from './linearPkTwin';
import type { PkPdModel } from './modelDefinition';
import type { TwinSimulator } from './twinSimulator';

const NO_STATES = new Float64Array(0);

export class ClosedFormSimulator implements TwinSimulator {
  private readonly pk: LinearPkTwin;
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  private readonly pdOut: Float64Array;
  private readonly nPk: number;

  constructor(private readonly model: PkPdModel) {
    if (model.pd && model.pd.states.length > 0) {
      throw new Error(`model ${model.name} has PD states: use the hybrid or ODE path`);
    }
    this.pk = new LinearPkTwin(model);
    this.p = new Float64Array(model.parameters.length);
    this.nPk = model.pk.parameters.length;
    this.q = new Float64Array(model.parameters.length - this.nPk);
    this.pdOut = new Float64Array(model.outputs.length - 1);
  }

  simulateTwin(
    params: Float64Array,
    row: number,
    regimen: ResolvedRegimen,
    times: Float64Array,
    out: Float64Array
  ): void {
    const { p, q, pk, pdOut } = this;
    const nP = p.length;
    for (let i = 0; i < nP; i++) p[i] = params[row * nP + i];
    for (let i = 0; i < q.length; i++) q[i] = p[this.nPk + i];
    pk.prepare(p, regimen);
    const nT = times.length;
    const nOut = this.model.outputs.length;
    const base = row * nOut * nT;
    const pd = this.model.pd;
    for (let k = 0; k < nT; k++) {
      const t = times[k];
      pk.applyEventsBefore(t);
      const conc = pk.concentrationAt(t);
      out[base + k] = conc;
      if (pd) {
        pd.output(t, NO_STATES, q, conc, pdOut);
        for (let o = 0; o < pdOut.length; o++) out[base + (o + 1) * nT + k] = pdOut[o];
      }
    }
  }
}
