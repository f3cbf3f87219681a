/**
 * One twin's linear PK in closed form: its modes (from its rate constants), its modal
 * state, and its dose timeline. Shared by the closed-form and the hybrid simulators.
 */
import { DoseTimeline, infusionDuration, type DoseEventTarget } from '../pk/doseTimeline';
import { LinearCompartmentModes } from '../pk/linearCompartmentModes';
import { ModalPkState } from '../pk/modalPkState';
import { DoseTargetFactors, type ResolvedRegimen } from './dosing';
import { type PkPdModel, RATE_INDEX } from './modelDefinition';

const { RATE_COUNT, RATE_KA, RATE_K10, RATE_K12, RATE_K21, RATE_K13, RATE_K31, RATE_VC } = RATE_INDEX;

export class LinearPkTwin implements DoseEventTarget {
  readonly modes: LinearCompartmentModes;
  readonly state: ModalPkState;
  readonly timeline = new DoseTimeline(64);
  readonly central: number;
  /** 1 / central volume of the current twin. */
  inverseVolume = 1;
  private readonly rates = new Float64Array(RATE_COUNT);
  private readonly factors: DoseTargetFactors;

  constructor(private readonly model: PkPdModel) {
    this.modes = new LinearCompartmentModes(model.pk.structure);
    this.state = new ModalPkState(this.modes);
    this.central = this.modes.central;
    this.factors = new DoseTargetFactors(model);
  }

  /** Sets up modes, timeline and the t = 0 state (steady state if requested) for a twin. */
  prepare(p: Float64Array, regimen: ResolvedRegimen): void {
    const r = this.rates;
    this.model.pk.rates(p, r);
    this.modes.setRates(r[RATE_KA], r[RATE_K10], r[RATE_K12], r[RATE_K21], r[RATE_K13], r[RATE_K31]);
    this.inverseVolume = 1 / r[RATE_VC];
    this.factors.update(p);
    this.timeline.fill(regimen.doses, this.factors.bioavailability, this.factors.lag, this.factors.infusion);
    this.state.reset(0);
    for (const ss of regimen.steadyState) {
      const d = regimen.doses[ss.dose];
      const f = this.factors.bioavailability[d.targetSlot];
      this.state.addSteadyState(
        d.state,
        d.amount * f,
        ss.interval,
        infusionDuration(d, f, this.factors.infusion),
        this.factors.lag[d.targetSlot]
      );
    }
  }

  /** A timeline event: the modal state advanced to its time, then the bolus added. */
  addBolus(state: number, amount: number, time: number): void {
    this.state.advanceTo(time);
    this.state.addBolus(state, amount);
  }

  /** A timeline event: the modal state advanced to its time, then the rate changed. */
  addRate(state: number, delta: number, time: number): void {
    this.state.advanceTo(time);
    this.state.addRate(state, delta);
  }

  /** Applies every event at or before time t (advancing the state to each). */
  applyEventsThrough(t: number): void {
    this.timeline.applyThrough(t, this);
  }

  /** Applies every event strictly before time t. */
  applyEventsBefore(t: number): void {
    const tl = this.timeline;
    while (tl.nextTime() < t) tl.applyThrough(tl.nextTime(), this);
  }

  /** Time of the next unapplied event, or Infinity. */
  nextEventTime(): number {
    return this.timeline.nextTime();
  }

  /** Central concentration at time t ≥ the state's time (advances the state). */
  concentrationAt(t: number): number {
    this.state.advanceTo(t);
    return this.state.amount(this.central) * this.inverseVolume;
  }
}
