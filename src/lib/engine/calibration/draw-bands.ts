/**
 * Percentile bands of profiles simulated under posterior draws: at each grid point, the
 * given percentiles of the draws' values (R's quantile type 7, `stats/quantile`). One
 * sort per grid point serves every percentile.
 */
import { quantileSorted } from '../../stats/quantile';

/** `profiles` holds one profile per draw (draws × n, row-major); one band per percentile. */
export function drawBands(
  profiles: Float64Array,
  draws: number,
  n: number,
  percentiles: readonly number[]
): Float64Array[] {
  const bands = percentiles.map(() => new Float64Array(n));
  const column = new Float64Array(draws);
  for (let k = 0; k < n; k++) {
    for (let d = 0; d < draws; d++) column[d] = profiles[d * n + k];
    column.sort();
    for (let b = 0; b < percentiles.length; b++) bands[b][k] = quantileSorted(column, percentiles[b]);
  }
  return bands;
}
