import { StatsInputError } from '../stats';
import type { ComparisonMethod, ComparisonRow } from './compare-types';

/** A finite number or null (results never carry NaN or ±Infinity). */
export function fin(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** A comparison row with every value null. */
export function emptyRow(method: ComparisonMethod, arm: string, control: string | null): ComparisonRow {
  return {
    arm,
    control,
    method,
    estimate: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    statistic: null,
    df: null,
    pAdjusted: null,
    note: null
  };
}

/**
 * Runs one method for one pair. A statistics input error (e.g. no events in either arm of the
 * pair) becomes a row of nulls whose note says why; any other error propagates.
 */
export function tryRow(
  method: ComparisonMethod,
  arm: string,
  control: string | null,
  compute: () => Partial<ComparisonRow>
): ComparisonRow {
  const row = emptyRow(method, arm, control);
  try {
    const values = compute();
    for (const k of ['estimate', 'ciLow', 'ciHigh', 'pValue', 'statistic', 'df'] as const) {
      if (k in values) row[k] = fin(values[k]);
    }
    if (values.note) row.note = values.note;
  } catch (e) {
    if (!(e instanceof StatsInputError)) throw e;
    row.note = e.message;
  }
  return row;
}
