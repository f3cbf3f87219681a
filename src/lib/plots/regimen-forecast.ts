import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { axisLabel, timeUnitFor } from './profile';

/**
 * Candidate regimens side by side for one calibrated patient: each regimen's predicted
 * median profile and its 90 % prediction band over the posterior draws, on the time after
 * the regimen starts, one colour per regimen. A target range on the concentration itself
 * (trough, peak or average) is drawn as dashed rules; an AUC target is not a level on
 * this axis, so it is left to the table.
 */
export const regimenForecastDefaults = { width: 560, height: 300 };

export interface ForecastBands {
  label: string;
  /** h after the regimen's start. */
  times: ArrayLike<number>;
  band5: ArrayLike<number>;
  band50: ArrayLike<number>;
  band95: ArrayLike<number>;
}

export interface ForecastTarget {
  metric: 'auc' | 'peak' | 'trough' | 'average';
  low?: number;
  high?: number;
}

export function regimenForecastPlot(
  forecasts: readonly ForecastBands[],
  labels: { output: string; unit?: string; target?: ForecastTarget },
  options: Partial<typeof regimenForecastDefaults> = {}
): PlotOptions {
  const o = { ...regimenForecastDefaults, ...options };
  const duration = Math.max(0, ...forecasts.map((f) => (f.times.length ? f.times[f.times.length - 1] : 0)));
  const t = timeUnitFor(duration);
  const rows = forecasts.flatMap((f) =>
    Array.from({ length: f.times.length }, (_, k) => ({
      regimen: f.label,
      t: f.times[k] / t.hours,
      low: f.band5[k],
      median: f.band50[k],
      high: f.band95[k]
    }))
  );
  const target = labels.target;
  const levels =
    target && target.metric !== 'auc'
      ? [target.low, target.high].filter((v): v is number => v !== undefined)
      : [];
  return {
    width: o.width,
    height: o.height,
    marginLeft: 56,
    grid: true,
    x: { label: `time after the regimen starts (${t.unit})`, domain: [0, duration / t.hours] },
    y: { label: axisLabel(labels.output, labels.unit), nice: true, zero: true },
    color: { legend: true, domain: forecasts.map((f) => f.label), label: 'regimen' },
    marks: [
      Plot.areaY(rows, { x: 't', y1: 'low', y2: 'high', fill: 'regimen', z: 'regimen', fillOpacity: 0.15 }),
      Plot.line(rows, { x: 't', y: 'median', stroke: 'regimen', z: 'regimen', strokeWidth: 1.8 }),
      ...(levels.length ? [Plot.ruleY(levels, { stroke: '#1d2b36', strokeDasharray: '6,4' })] : [])
    ]
  };
}
