// Input checks shared by the statistics functions; each throws StatsInputError naming the bad argument.
import { StatsInputError } from './errors';

/** Throws unless every value of `x` is finite. Cheap: one summation, then a scan only on failure. */
export function assertFiniteArray(x: ArrayLike<number>, name: string): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * 0;
  if (s === 0) return;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new StatsInputError(`${name}[${i}] is not a finite number (${x[i]})`);
  }
}

/** Throws unless `x` has at least `min` values. */
export function assertMinLength(x: ArrayLike<number>, min: number, name: string): void {
  if (x.length < min) {
    throw new StatsInputError(`${name} needs at least ${min} observation(s), got ${x.length}`);
  }
}

/** Throws unless `level` is a confidence level strictly between 0 and 1. */
export function assertConfLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new StatsInputError(`confLevel must be in (0, 1), got ${level}`);
}

/** Throws unless `k` is a non-negative integer count not above `n`. */
export function assertCount(k: number, n: number, name: string): void {
  if (!Number.isInteger(n) || n < 0)
    throw new StatsInputError(`${name}: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new StatsInputError(`${name}: events must be an integer in [0, ${n}], got ${k}`);
  }
}

/**
 * Checks both arms of a two-arm binary comparison: counts as in `assertCount`, and each arm has
 * at least one subject (an empty arm has no proportion, and a 0.5 continuity correction would
 * otherwise turn it into an estimate from nothing). `method` names the function in the message.
 */
export function assertTwoArms(
  arm: { events: number; n: number },
  control: { events: number; n: number },
  method: string
): void {
  for (const [name, counts] of [
    ['arm', arm],
    ['control', control]
  ] as const) {
    assertCount(counts.events, counts.n, `${method}: ${name}`);
    if (counts.n < 1) throw new StatsInputError(`${method}: ${name} needs n ≥ 1, got ${counts.n}`);
  }
}

/** Throws unless `x` has the length `n`. */
export function assertSameLength(x: ArrayLike<unknown>, n: number, name: string, ref: string): void {
  if (x.length !== n) throw new StatsInputError(`${name} has length ${x.length} but ${ref} has length ${n}`);
}

/** Maps a non-finite number to null (results never carry NaN or ±Infinity). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
