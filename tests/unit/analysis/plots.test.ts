// Forest and Kaplan–Meier plots: pure options that Observable Plot renders in Node (linkedom).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { Comparison, ComparisonRow } from '../../../src/lib/analysis/compare-types';
import { effectLabel, forestMethod, forestPlot } from '../../../src/lib/plots/forest';
import { kaplanMeierMarks, kaplanMeierPlot } from '../../../src/lib/plots/kaplan-meier';
import { kaplanMeier } from '../../../src/lib/stats';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

function row(
  arm: string,
  method: ComparisonRow['method'],
  estimate: number | null,
  lo: number | null,
  hi: number | null
): ComparisonRow {
  return {
    arm,
    control: 'placebo',
    method,
    estimate,
    ciLow: lo,
    ciHigh: hi,
    pValue: 0.1,
    statistic: 1,
    df: null,
    pAdjusted: null,
    note: null
  };
}

const base = { endpoint: 'sbp', confLevel: 0.95 };

describe('forestPlot', () => {
  it('draws a dot and a CI rule per arm and a reference line at 0 for differences', () => {
    const c: Pick<Comparison, 'type' | 'primary' | 'endpoint' | 'comparisons' | 'confLevel'> = {
      ...base,
      type: 'continuous',
      primary: 'welch_t',
      comparisons: [
        row('low', 'welch_t', -5, -10, 0.5),
        row('high', 'welch_t', -10, -15, -5),
        row('low', 'mann_whitney', null, null, null)
      ]
    };
    const options = forestPlot(c, { unit: 'mmHg' });
    expect(options.marks).toHaveLength(3);
    expect(options.x).toMatchObject({
      type: 'linear',
      label: 'Difference in mean sbp (mmHg), arm − control'
    });
    const svg = render(options);
    const html = svg.outerHTML;
    expect(svg.querySelectorAll('path, circle, line').length).toBeGreaterThan(0);
    expect(html).toContain('Difference in mean sbp (mmHg)');
    expect(html).toContain('low');
    expect(html).toContain('high');
    // two CI rules + one reference line
    expect(svg.querySelectorAll('g[aria-label="rule"] line').length).toBe(3);
  });

  it('uses a log axis with the reference at 1 for ratios and skips a ratio of 0', () => {
    const c = {
      ...base,
      type: 'tte' as const,
      primary: 'log_rank' as const,
      comparisons: [
        row('low', 'cox_efron', 0.7, 0.3, 1.6),
        row('high', 'cox_efron', 0.5, 0.2, 1.1),
        row('x', 'cox_breslow', 0.6, 0.2, 1)
      ]
    };
    expect(forestMethod(c)).toBe('cox_efron');
    const options = forestPlot(c);
    expect(options.x).toMatchObject({ type: 'log', label: 'Hazard ratio of sbp (arm / control)' });
    expect(render(options).outerHTML).toContain('Hazard ratio');
    const fisher = forestPlot(
      {
        ...base,
        type: 'binary',
        primary: 'chi_square',
        comparisons: [row('low', 'fisher_exact', 0, 0, 1.4), row('high', 'fisher_exact', 1.9, 0.3, null)]
      },
      { method: 'fisher_exact' }
    );
    expect(
      render(fisher).querySelectorAll('g[aria-label="dot"] path, g[aria-label="dot"] circle').length
    ).toBe(1);
    expect(effectLabel('risk_difference_newcombe', 'resp')).toBe(
      'Risk difference in resp (proportion), arm − control'
    );
    expect(forestMethod({ type: 'binary', primary: 'chi_square' })).toBe('risk_difference_newcombe');
  });
});

describe('kaplanMeierPlot', () => {
  const curves = [
    { arm: 'placebo', km: kaplanMeier([5, 8, 8, 12, 20, 25], [1, 1, 0, 1, 0, 1]) },
    { arm: 'active', km: kaplanMeier([6, 10, 15, 30, 30], [0, 1, 1, 0, 0]) }
  ];
  it('starts every curve at S(0) = 1 and marks each censoring time on the curve', () => {
    const { steps, censored } = kaplanMeierMarks(curves);
    expect(steps.filter((s) => s.time === 0).map((s) => s.surv)).toEqual([1, 1]);
    expect(censored.map((c) => [c.arm, c.time])).toEqual([
      ['placebo', 8],
      ['placebo', 20],
      ['active', 6],
      ['active', 30]
    ]);
    const at8 = censored[0];
    expect(at8.surv).toBeCloseTo((5 / 6) * (4 / 5), 12);
  });
  it('renders step curves per arm with censoring ticks and a labelled time axis', () => {
    const options = kaplanMeierPlot(curves, { time: 'Time since randomisation', unit: 'days' });
    expect(options.marks).toHaveLength(2);
    const svg = render(options);
    const html = svg.outerHTML;
    expect(svg.querySelectorAll('g[aria-label="line"] path').length).toBe(2);
    expect(svg.querySelectorAll('g[aria-label="rule"] line').length).toBe(4);
    expect(html).toContain('Time since randomisation (days)');
    expect(html).toContain('Survival probability');
  });
});
