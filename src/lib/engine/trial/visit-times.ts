import { purposeHash, type RandomStream } from '../rng';
import type { ObservationGrid } from './compile-schedule';

const VISIT = purposeHash('visit');

/**
 * A twin's observation times over every period into `times` (the grid once per period,
 * period p shifted by p × periodOffset): nominal, or each visit with a window drawn
 * uniformly within it from (seed, 'visit', id), kept between its neighbours' midpoints.
 */
export function visitTimes(
  grid: Pick<ObservationGrid, 'times' | 'visitIndex' | 'visitWindow'>,
  hasWindows: boolean,
  periodOffset: number,
  rng: RandomStream,
  seed: number,
  id: number,
  times: Float64Array
): void {
  const nominal = grid.times;
  const nT = nominal.length;
  times.set(nominal);
  if (hasWindows) {
    rng.reset(seed, VISIT, id);
    for (let v = 0; v < grid.visitIndex.length; v++) {
      const k = grid.visitIndex[v];
      const w = grid.visitWindow[v];
      if (w > 0) {
        const lo = k > 0 ? (nominal[k - 1] + nominal[k]) / 2 : 0;
        const hi = k < nT - 1 ? (nominal[k] + nominal[k + 1]) / 2 : nominal[k];
        times[k] = Math.min(hi, Math.max(lo, nominal[k] + (2 * rng.uniform() - 1) * w));
      }
    }
  }
  for (let k = nT; k < times.length; k++) times[k] = times[k - nT] + periodOffset;
}
