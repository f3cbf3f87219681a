import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { OperatingCharacteristic } from '../analysis/operating-characteristics';
import { analysisShortName } from '../analysis/operating-format';

/**
 * The estimates of replicate trials against the truth: one row per analysis and a panel per
 * active arm, the middle 95 % of the estimates as a line, the middle half as a bar and the
 * median as a tick, with each estimand's true value as a vertical rule in its colour. An
 * analysis whose bar sits off an estimand's rule is biased for it.
 */
export const estimateDistributionDefaults = { width: 640, rowHeight: 26 };

export interface EstimateDistributionRow {
  analysis: string;
  arm: string;
  p025: number;
  q1: number;
  median: number;
  q3: number;
  p975: number;
}

export interface TrueValueRule {
  arm: string;
  estimand: string;
  value: number;
}

/** The distribution rows (one per analysis and arm) and true values (one per estimand and arm) of one size. */
export function estimateDistributionData(rows: readonly OperatingCharacteristic[]): {
  distributions: EstimateDistributionRow[];
  truths: TrueValueRule[];
} {
  const distributions = new Map<string, EstimateDistributionRow>();
  const truths = new Map<string, TrueValueRule>();
  for (const r of rows) {
    const q = r.quantiles;
    if (q) {
      const [p025, q1, median, q3, p975] = q;
      // The analysis without its details in brackets, which the table beside gives: the
      // whole label does not fit the plot's margin on a laptop.
      const analysis = analysisShortName(r.label);
      distributions.set(`${analysis}\u0000${r.arm}`, {
        analysis,
        arm: r.arm,
        p025,
        q1,
        median,
        q3,
        p975
      });
    }
    if (r.estimand !== null && r.trueValue !== null)
      truths.set(`${r.estimand}\u0000${r.arm}`, { arm: r.arm, estimand: r.estimand, value: r.trueValue });
  }
  return { distributions: [...distributions.values()], truths: [...truths.values()] };
}

export function estimateDistributionPlot(
  rows: readonly OperatingCharacteristic[],
  options: Partial<typeof estimateDistributionDefaults> = {}
): PlotOptions {
  const o = { ...estimateDistributionDefaults, ...options };
  const { distributions, truths } = estimateDistributionData(rows);
  const analyses = [...new Set(distributions.map((d) => d.analysis))];
  const arms = [...new Set(distributions.map((d) => d.arm))];
  return {
    width: o.width,
    height: 60 + o.rowHeight * analyses.length * arms.length,
    marginLeft: 200,
    x: { label: 'Estimate (arm − control)', grid: true },
    y: { label: null, domain: analyses },
    fy: { label: null, domain: arms },
    color: { legend: true, label: 'true value of', domain: [...new Set(truths.map((t) => t.estimand))] },
    caption:
      'Estimates over replicate trials: 95 % of them (line), the middle half (bar), the median (tick); true values as rules',
    marks: [
      Plot.ruleY(distributions, { y: 'analysis', fy: 'arm', x1: 'p025', x2: 'p975', stroke: '#888' }),
      Plot.barX(distributions, {
        y: 'analysis',
        fy: 'arm',
        x1: 'q1',
        x2: 'q3',
        fill: '#bbb',
        insetTop: 6,
        insetBottom: 6,
        title: (d: EstimateDistributionRow) =>
          `${d.analysis}, ${d.arm}: median ${d.median.toPrecision(4)}, middle half ${d.q1.toPrecision(4)} to ${d.q3.toPrecision(4)}`
      }),
      Plot.tickX(distributions, { y: 'analysis', fy: 'arm', x: 'median', strokeWidth: 2 }),
      Plot.ruleX(truths, {
        x: 'value',
        fy: 'arm',
        stroke: 'estimand',
        strokeDasharray: '4,3',
        strokeWidth: 1.5
      })
    ]
  };
}
