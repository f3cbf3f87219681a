/**
 * A sum of doubles with no rounding error until it is read: the running total is kept
 * exactly as a list of non-overlapping partials (Shewchuk 1997, "Adaptive precision
 * floating-point arithmetic and fast robust geometric predicates"), and read rounded once,
 * correctly (half to even), as Python's `math.fsum` does. Its value therefore does not
 * depend on the order the terms are added in, nor on how they are split: sums of parts
 * added together (`addSum`) give the very bits of one sum over every term. That is what
 * lets a trial's shards, run apart, merge into the values a single machine computes.
 *
 * Non-finite terms are summed apart (NaN, or ±Infinity, as IEEE addition gives them).
 */
export class ExactSum {
  private partials: number[] = [];
  private special = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    // An overflowing partial sum is a sum that overflows: it is infinite, as IEEE says.
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    p.push(x);
  }

  /** Adds another sum's exact value (its partials), as if its terms had been added here. */
  addSum(other: ExactSumState): void {
    for (const x of other.partials) this.add(x);
    this.special += other.special;
  }

  /** The exact state, to carry a sum between processes (its numbers round-trip through JSON). */
  state(): ExactSumState {
    return { partials: [...this.partials], special: this.special };
  }

  /** The sum, correctly rounded. */
  value(): number {
    if (this.special !== 0) return this.special;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Half-way case: the rounding of hi + lo went the wrong way if the partial below has
    // the same sign as lo (math.fsum's correction).
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

/** An ExactSum's exact value: its partials and the sum of its non-finite terms. */
export interface ExactSumState {
  partials: number[];
  special: number;
}
