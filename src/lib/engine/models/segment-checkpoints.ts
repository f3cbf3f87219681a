/**
 * Where a twin's integration stood at the start of each segment between dose events: the
 * time, the next output index, the ODE state and what the solver carries between
 * integrations. A simulation that changes the twin's doses from some time on (treatment
 * discontinuation) resumes from the last segment that starts before the change instead of
 * from t = 0; every earlier segment is the same in both regimens, so the result is the
 * same to the bit as simulating the whole course again.
 */
/** A solver's numbers carried between integrations (`OdeSolver.saveCarried`). */
export interface CarriedState {
  saveCarried(out: Float64Array, offset: number): void;
  restoreCarried(from: Float64Array, offset: number): void;
}

export class SegmentCheckpoints {
  /** Numbers per checkpoint: time, output index, states, carried solver numbers. */
  private readonly width: number;
  private rows = new Float64Array(0);
  count = 0;

  constructor(
    private readonly states: number,
    private readonly carried: number
  ) {
    this.width = 2 + states + carried;
  }

  clear(): void {
    this.count = 0;
  }

  /** Records a segment's start. */
  push(t: number, k: number, y: ArrayLike<number>, solver: CarriedState): void {
    const w = this.width;
    if ((this.count + 1) * w > this.rows.length) {
      const grown = new Float64Array(Math.max(64 * w, 2 * this.rows.length));
      grown.set(this.rows);
      this.rows = grown;
    }
    const o = this.count * w;
    this.rows[o] = t;
    this.rows[o + 1] = k;
    for (let i = 0; i < this.states; i++) this.rows[o + 2 + i] = y[i];
    solver.saveCarried(this.rows, o + 2 + this.states);
    this.count++;
  }

  /** Index of the last checkpoint whose time is before t (0, the start, when none is). */
  lastBefore(t: number): number {
    let c = 0;
    while (c + 1 < this.count && this.time(c + 1) < t) c++;
    return c;
  }

  time(c: number): number {
    return this.rows[c * this.width];
  }

  outputIndex(c: number): number {
    return this.rows[c * this.width + 1];
  }

  /** Copies checkpoint c's states into y and its carried numbers into the solver. */
  restore(c: number, y: Float64Array, solver: CarriedState): void {
    const o = c * this.width;
    for (let i = 0; i < this.states; i++) y[i] = this.rows[o + 2 + i];
    solver.restoreCarried(this.rows, o + 2 + this.states);
  }
}
