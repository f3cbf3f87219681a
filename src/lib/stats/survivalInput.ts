// Validation and time-ordering of right-censored survival data shared by the survival functions.
import { StatsInputError } from './errors';
import { assertSameLength } from './validate';

/** Checks time (finite) and status (0 = censored, 1 = event); returns indices sorted by ascending time. */
export function sortSurvival(time: ArrayLike<number>, status: ArrayLike<number>): Uint32Array {
  const n = time.length;
  assertSameLength(status, n, 'status', 'time');
  if (n === 0) throw new StatsInputError('time is empty');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(time[i]))
      throw new StatsInputError(`time[${i}] is not a finite number (${time[i]})`);
    const s = status[i];
    if (s !== 0 && s !== 1)
      throw new StatsInputError(`status[${i}] must be 0 (censored) or 1 (event), got ${s}`);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // stable tie order is irrelevant: all statistics depend on time only through the ordering
  return order.sort((a, b) => time[a] - time[b]);
}
