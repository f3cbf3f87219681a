import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';

/** Counts per bin, computed in SQL over every twin (see analysis/histogram-bins). */
export interface HistogramBins {
  x1: number[];
  x2: number[];
  count: number[];
}

export const histogramDefaults = {
  width: 320,
  height: 180,
  fill: '#2a6f97',
  /** what is counted */ count: 'twins'
};

/** Plot options for a histogram of precomputed bins; the x label carries the unit. */
export function histogramPlot(
  bins: HistogramBins,
  label: string,
  options: Partial<typeof histogramDefaults> = {}
): PlotOptions {
  const o = { ...histogramDefaults, ...options };
  const data = bins.count.map((count, i) => ({ x1: bins.x1[i], x2: bins.x2[i], count }));
  return {
    width: o.width,
    height: o.height,
    marginLeft: 50,
    x: { label },
    y: { label: o.count, grid: true },
    marks: [Plot.rectY(data, { x1: 'x1', x2: 'x2', y: 'count', fill: o.fill, inset: 0.5 }), Plot.ruleY([0])]
  };
}
