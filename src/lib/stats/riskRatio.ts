// Risk ratio p(arm) / p(control) with the log (Katz) interval; 0.5 is added to every cell when
// either arm has no events. Reference: Katz, Baptista, Azen & Pike (1978), Biometrics 34:469–474.
import { StatsInputError } from './errors';
import { normalQuantile } from './distributions';
import type { BinaryCounts } from './types';
import { assertConfLevel, assertTwoArms } from './validate';

export interface RatioResult {
  estimate: number;
  /** standard error of the log ratio */
  stdErrLog: number;
  ciLower: number;
  ciUpper: number;
  confLevel: number;
  /** true when 0.5 was added to every cell because of a zero cell */
  corrected: boolean;
}

/** Risk ratio arm / control; each arm needs n ≥ 1, and one arm an event. */
export function riskRatio(
  arm: BinaryCounts,
  control: BinaryCounts,
  options: { confLevel?: number } = {}
): RatioResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertTwoArms(arm, control, 'riskRatio');
  if (arm.events + control.events === 0) throw new StatsInputError('riskRatio: no events in either arm');
  const corrected = arm.events === 0 || control.events === 0;
  const c = corrected ? 0.5 : 0;
  const x1 = arm.events + c;
  const n1 = arm.n + 2 * c;
  const x2 = control.events + c;
  const n2 = control.n + 2 * c;
  const logRr = Math.log(x1 / n1) - Math.log(x2 / n2);
  const stdErrLog = Math.sqrt(Math.max(0, 1 / x1 - 1 / n1 + 1 / x2 - 1 / n2));
  const z = normalQuantile((1 + confLevel) / 2);
  return {
    estimate: Math.exp(logRr),
    stdErrLog,
    ciLower: Math.exp(logRr - z * stdErrLog),
    ciUpper: Math.exp(logRr + z * stdErrLog),
    confLevel,
    corrected
  };
}
