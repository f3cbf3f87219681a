// Proportion with Wilson score interval, as R prop.test(x, n, correct = FALSE)$conf.int.
// Reference: Wilson (1927), JASA 22:209–212; Newcombe (1998), Stat. Med. 17:857–872, method 3.
import { normalQuantile } from './distributions';
import type { IntervalEstimate } from './types';
import { assertConfLevel, assertCount } from './validate';
import { StatsInputError } from './errors';

export interface ProportionEstimate extends IntervalEstimate {
  estimate: number;
  ciLower: number;
  ciUpper: number;
  events: number;
  n: number;
}

/** events / n with the Wilson score interval; n must be ≥ 1. */
export function wilsonInterval(
  events: number,
  n: number,
  options: { confLevel?: number } = {}
): ProportionEstimate {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertCount(events, n, 'wilsonInterval');
  if (n < 1) throw new StatsInputError('wilsonInterval: n must be at least 1');
  const p = events / n;
  const z = normalQuantile((1 + confLevel) / 2);
  const z22n = (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n));
  const ciUpper = p >= 1 ? 1 : (p + z22n + half) / (1 + 2 * z22n);
  const ciLower = p <= 0 ? 0 : (p + z22n - half) / (1 + 2 * z22n);
  return { estimate: p, ciLower, ciUpper, confLevel, events, n };
}
