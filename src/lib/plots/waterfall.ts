import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { axisLabel } from './profile';

/** One twin's bar (see analysis/run-waterfall): its rank in its arm, 1 = largest value. */
export interface WaterfallInput {
  arm: string;
  twin: number;
  value: number;
  rank: number;
}

export const waterfallDefaults = { width: 560, panelHeight: 130 };

/**
 * A waterfall plot: per arm (one panel each), every twin's change as a bar, sorted from the
 * largest increase to the largest decrease, with reference lines at 0 and, for a percent
 * change, at +20 % and −30 % (RECIST 1.1's progression and partial-response thresholds,
 * Eisenhauer et al., Eur J Cancer 2009;45:228–247).
 */
export function waterfallPlot(
  bars: readonly WaterfallInput[],
  labels: { endpoint: string; unit?: string; arms: readonly string[]; percent: boolean },
  options: Partial<typeof waterfallDefaults> = {}
): PlotOptions {
  const o = { ...waterfallDefaults, ...options };
  const arms = labels.arms.filter((a) => bars.some((b) => b.arm === a));
  return {
    width: o.width,
    height: 40 + o.panelHeight * arms.length,
    marginLeft: 56,
    marginRight: 90,
    x: { axis: null, label: null },
    y: { label: axisLabel(labels.endpoint, labels.percent ? '%' : labels.unit), grid: true },
    fy: { domain: arms, label: null },
    color: { domain: [...labels.arms] },
    marks: [
      Plot.barY(bars, {
        x: 'rank',
        y: 'value',
        fy: 'arm',
        fill: 'arm',
        title: (d: WaterfallInput) => `twin ${d.twin} (${d.arm}): ${d.value.toPrecision(3)}`
      }),
      Plot.ruleY([0]),
      ...(labels.percent ? [Plot.ruleY([20, -30], { stroke: '#6b7b8b', strokeDasharray: '4,3' })] : [])
    ]
  };
}
