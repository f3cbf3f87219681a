// Odds ratio (arm odds / control odds) with Woolf's logit interval; the Haldane–Anscombe correction
// (add 0.5 to all four cells) is applied when any cell is zero.
// Reference: Woolf (1955), Ann. Hum. Genet. 19:251–253; Haldane (1956), Ann. Hum. Genet. 20:309–311.
import { StatsInputError } from './errors';
import { normalQuantile } from './distributions';
import type { BinaryCounts } from './types';
import type { RatioResult } from './riskRatio';
import { assertConfLevel, assertTwoArms } from './validate';

/** Odds ratio arm vs control; each arm needs n ≥ 1; throws when all or none of the subjects had the event. */
export function oddsRatio(
  arm: BinaryCounts,
  control: BinaryCounts,
  options: { confLevel?: number } = {}
): RatioResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  assertTwoArms(arm, control, 'oddsRatio');
  const events = arm.events + control.events;
  if (events === 0) throw new StatsInputError('oddsRatio: no events in either arm');
  if (events === arm.n + control.n)
    throw new StatsInputError('oddsRatio: every subject in both arms had the event');
  let a = arm.events;
  let b = arm.n - arm.events;
  let c = control.events;
  let d = control.n - control.events;
  const corrected = a === 0 || b === 0 || c === 0 || d === 0;
  if (corrected) {
    a += 0.5;
    b += 0.5;
    c += 0.5;
    d += 0.5;
  }
  const logOr = Math.log(a) - Math.log(b) - Math.log(c) + Math.log(d);
  const stdErrLog = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  const z = normalQuantile((1 + confLevel) / 2);
  return {
    estimate: Math.exp(logOr),
    stdErrLog,
    ciLower: Math.exp(logOr - z * stdErrLog),
    ciUpper: Math.exp(logOr + z * stdErrLog),
    confLevel,
    corrected
  };
}
