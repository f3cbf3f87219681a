// Median survival time and its confidence interval read off a Kaplan–Meier curve exactly as
// R's print.survfit (survival:::survmean): the first time the curve (or a confidence limit) is
// ≤ 0.5, averaging with the next drop when it sits at 0.5 within sqrt(machine eps); null when
// the curve never reaches 0.5. Reference: Brookmeyer & Crowley (1982), Biometrics 38:29–41.
import type { KaplanMeierResult } from './kaplanMeier';

export interface MedianSurvivalResult {
  median: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  confLevel: number;
}

const TOLERANCE = Math.sqrt(Number.EPSILON);

/** survfit's `minmin`: first time y is ≤ 0.5 (with R's tolerance and half-way rule). */
function firstAtOrBelowHalf(y: ReadonlyArray<number | null>, x: ReadonlyArray<number>): number | null {
  const ys: number[] = [];
  const xs: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    if (yi !== null && yi < 0.5 + TOLERANCE) {
      ys.push(yi);
      xs.push(x[i]);
    }
  }
  if (ys.length === 0) return null;
  if (Math.abs(ys[0] - 0.5) < TOLERANCE) {
    const next = ys.findIndex((v) => v < ys[0]);
    if (next >= 0) return (xs[0] + xs[next]) / 2;
  }
  return xs[0];
}

/** Median survival with confidence limits (null when not reached) from a Kaplan–Meier result. */
export function medianSurvival(km: KaplanMeierResult): MedianSurvivalResult {
  return {
    median: firstAtOrBelowHalf(km.surv, km.time),
    ciLower: firstAtOrBelowHalf(km.lower, km.time),
    ciUpper: firstAtOrBelowHalf(km.upper, km.time),
    confLevel: km.confLevel
  };
}
