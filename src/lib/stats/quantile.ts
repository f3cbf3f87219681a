// Sample quantile by R's default definition (quantile(type = 7)); Hyndman & Fan (1996),
// "Sample quantiles in statistical packages", Am. Stat. 50:361–365, definition 7.

/** Quantile `p` (0..1) of an ascending-sorted array, interpolating as R's quantile type 7. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo];
  const h = index - lo;
  if (h > 0 && sorted[hi] !== qs) return (1 - h) * qs + h * sorted[hi];
  return qs;
}
