// Risk difference p(arm) − p(control) with the Wald interval and Newcombe's hybrid score interval.
// Reference: Newcombe (1998), "Interval estimation for the difference between independent
// proportions", Stat. Med. 17:873–890, methods 1 (Wald) and 10 (hybrid score from Wilson limits).
import { normalQuantile } from './distributions';
import type { BinaryCounts } from './types';
import { assertConfLevel, assertTwoArms } from './validate';
import { wilsonInterval } from './wilsonInterval';

export interface RiskDifferenceResult {
  estimate: number;
  stdErr: number;
  waldLower: number;
  waldUpper: number;
  newcombeLower: number;
  newcombeUpper: number;
  confLevel: number;
}

/** Risk difference arm − control; each arm needs n ≥ 1. */
export function riskDifference(
  arm: BinaryCounts,
  control: BinaryCounts,
  options: { confLevel?: number } = {}
): RiskDifferenceResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertTwoArms(arm, control, 'riskDifference');
  const p1 = arm.events / arm.n;
  const p2 = control.events / control.n;
  const estimate = p1 - p2;
  const z = normalQuantile((1 + confLevel) / 2);
  const stdErr = Math.sqrt((p1 * (1 - p1)) / arm.n + (p2 * (1 - p2)) / control.n);
  const w1 = wilsonInterval(arm.events, arm.n, { confLevel });
  const w2 = wilsonInterval(control.events, control.n, { confLevel });
  return {
    estimate,
    stdErr,
    waldLower: estimate - z * stdErr,
    waldUpper: estimate + z * stdErr,
    newcombeLower: estimate - Math.sqrt((p1 - w1.ciLower) ** 2 + (w2.ciUpper - p2) ** 2),
    newcombeUpper: estimate + Math.sqrt((w1.ciUpper - p1) ** 2 + (p2 - w2.ciLower) ** 2),
    confLevel
  };
}
