import { kaplanMeier } from '../stats';
import type { KaplanMeierCurve } from './kaplan-meier';

/** One twin's time-to-event value (hours) in its arm; censored 1 = censored. */
export interface SurvivalValue {
  arm: string;
  value: number;
  censored: number;
}

/** Hours per month: a mean Gregorian month (365.25 / 12 days). */
export const HOURS_PER_MONTH = (365.25 / 12) * 24;

/**
 * The time unit of a survival plot from the protocol's duration (hours): days up to eight
 * weeks, weeks up to six months, then months, the units trial reports use.
 */
export function survivalTimeUnit(durationHours: number): {
  unit: 'days' | 'weeks' | 'months';
  hours: number;
} {
  if (durationHours <= 8 * 168) return { unit: 'days', hours: 24 };
  if (durationHours <= 26 * 168) return { unit: 'weeks', hours: 168 };
  return { unit: 'months', hours: HOURS_PER_MONTH };
}

/** Kaplan–Meier curves per arm (in `arms` order) from times in hours, converted to `hours` per axis unit. */
export function kaplanMeierCurves(
  values: readonly SurvivalValue[],
  arms: readonly string[],
  hours: number
): KaplanMeierCurve[] {
  return arms.flatMap((arm) => {
    const rows = values.filter((v) => v.arm === arm);
    if (rows.length === 0) return [];
    const km = kaplanMeier(
      rows.map((r) => r.value / hours),
      rows.map((r) => 1 - r.censored)
    );
    return [{ arm, km }];
  });
}
