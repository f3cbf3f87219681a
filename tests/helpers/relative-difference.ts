/**
 * Relative differences for comparing model outputs with references. Written so that a
 * wrong result cannot pass: NaN compares false with everything, so a hand-written
 * `if (d > worst) worst = d` silently skips a NaN output; here any value that is not
 * finite is an infinite difference, and comparing nothing is an error, not agreement.
 */

/** |a − b| / max(|b|, floor); Infinity when either value is NaN or ±Infinity. */
export function relativeDifference(a: number, b: number, floor = 1e-12): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

/**
 * The largest `relativeDifference(actual[i], expected[i], floor)`. Throws when the arrays
 * differ in length or are empty: a missing value or an empty reference is a broken test.
 */
export function maxRelativeDifference(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  floor = 1e-12
): number {
  if (actual.length !== expected.length)
    throw new Error(`compared ${actual.length} values with ${expected.length} reference values`);
  if (expected.length === 0) throw new Error('no reference values to compare with');
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, relativeDifference(actual[i], expected[i], floor));
  return worst;
}
