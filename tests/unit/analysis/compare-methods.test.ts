// The per-pair method tables: a method that cannot be computed for a pair gives nulls and a note
// (never NaN or ±Infinity); the odds ratio switches to Haldane with a zero cell.
import { describe, expect, it } from 'vitest';
import { binaryComparisons } from '../../../src/lib/analysis/compare-binary';
import { continuousComparisons } from '../../../src/lib/analysis/compare-continuous';
import { formatComparison } from '../../../src/lib/analysis/compare-format';
import { kmMedianRow, tteComparisons } from '../../../src/lib/analysis/compare-tte';
import type { Comparison, ComparisonRow } from '../../../src/lib/analysis/compare-types';

function finiteOrNull(rows: ComparisonRow[]): void {
  for (const r of rows)
    for (const [k, v] of Object.entries(r))
      if (typeof v === 'number') expect(Number.isFinite(v), `${r.method}.${k}`).toBe(true);
}

describe('binaryComparisons', () => {
  it('a pair with no events in either arm: ratio and chi-square rows are null with a note', () => {
    const rows = binaryComparisons({ arm: 'B', events: 0, n: 10 }, { arm: 'A', events: 0, n: 12 }, 0.95);
    finiteOrNull(rows);
    const rr = rows.find((r) => r.method === 'risk_ratio')!;
    expect(rr.estimate).toBeNull();
    expect(rr.note).toMatch(/no events/);
    expect(rows.find((r) => r.method === 'chi_square')!.pValue).toBeNull();
    expect(rows.find((r) => r.method === 'risk_difference_wald')!.note).toMatch(/standard error is zero/);
    expect(rows.some((r) => r.method === 'odds_ratio_haldane')).toBe(true);
  });
  it('Woolf without a zero cell, Haldane with one; Fisher upper limit infinite → null', () => {
    expect(
      binaryComparisons({ arm: 'B', events: 3, n: 10 }, { arm: 'A', events: 5, n: 12 }, 0.95).map(
        (r) => r.method
      )
    ).toContain('odds_ratio_woolf');
    const rows = binaryComparisons({ arm: 'B', events: 10, n: 10 }, { arm: 'A', events: 5, n: 12 }, 0.95);
    finiteOrNull(rows);
    expect(rows.map((r) => r.method)).toContain('odds_ratio_haldane');
    const f = rows.find((r) => r.method === 'fisher_exact')!;
    expect(f.estimate).toBeNull();
    expect(f.ciHigh).toBeNull();
    expect(f.pValue).toBeGreaterThan(0);
  });
});

describe('continuous and tte comparisons', () => {
  it('ANCOVA appears only with baselines, GMR only for exposures; W is the arm-first statistic', () => {
    const arm = { arm: 'B', y: Float64Array.of(5, 6, 7, 9), baseline: null };
    const control = { arm: 'A', y: Float64Array.of(1, 2, 4), baseline: null };
    const rows = continuousComparisons(arm, control, 0.95);
    expect(rows.map((r) => r.method)).toEqual(['welch_t', 'student_t', 'mann_whitney', 'hodges_lehmann']);
    // R: wilcox.test(c(5, 6, 7, 9), c(1, 2, 4))$statistic = 12
    expect(rows[2].statistic).toBe(12);
    // R: wilcox.test(c(5, 6, 7, 9), c(1, 2, 4), conf.int = TRUE): estimate 4.5, CI 1 to 8 (exact)
    expect([rows[3].estimate, rows[3].ciLow, rows[3].ciHigh, rows[3].pValue]).toEqual([4.5, 1, 8, null]);
  });
  it('a pair without events: log-rank and Cox rows are null with a note; median not reached → null', () => {
    const arm = { arm: 'B', time: Float64Array.of(5, 6, 7), event: Float64Array.of(0, 0, 0) };
    const control = { arm: 'A', time: Float64Array.of(4, 8, 9), event: Float64Array.of(0, 0, 0) };
    const rows = tteComparisons(arm, control, 0.95);
    finiteOrNull(rows);
    expect(rows.every((r) => r.pValue === null && r.note !== null)).toBe(true);
    expect(kmMedianRow(arm, 0.95)).toMatchObject({ estimate: null, control: null, method: 'km_median' });
  });
});

describe('formatComparison', () => {
  it('prints nulls as —, marks the primary method and lists notes in the footer', () => {
    const c: Comparison = {
      endpoint: 'resp',
      type: 'binary',
      control: 'A',
      primary: 'chi_square',
      adjust: 'hochberg',
      confLevel: 0.9,
      arms: [
        { arm: 'A', n: 10, missing: 1, events: 0, proportion: 0, ciLow: 0, ciHigh: 0.2 },
        { arm: 'B', n: 10, missing: 0, events: 0, proportion: 0, ciLow: 0, ciHigh: 0.2 }
      ],
      comparisons: binaryComparisons({ arm: 'B', events: 0, n: 10 }, { arm: 'A', events: 0, n: 10 }, 0.9),
      dunnett: null,
      missingArm: 0,
      counterfactual: null,
      baseline: null,
      targetAttainment: null,
      factorial: null,
      source: { kind: 'file', path: 'x.csv' }
    };
    const text = formatComparison(c);
    expect(text).toContain('90% CI (Wilson)');
    expect(text).toMatch(/chi_square \* †/);
    expect(text).toContain('Hochberg adjustment');
    expect(text).toContain('Rows with missing values were excluded: A 1.');
    expect(text).toMatch(/† B risk_ratio: .*no events/);
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });
});
