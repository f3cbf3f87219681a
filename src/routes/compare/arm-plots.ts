import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { BinaryArmSummary } from '$lib/analysis/compare';
import { axisLabel } from '$lib/plots/profile';
import type { ArmValue } from '$lib/analysis/run-observed-values';

/**
 * The Compare page's per-arm plots of one endpoint: the distribution of a continuous
 * endpoint (every twin as a tick, with a box of the quartiles and the median), the
 * responder proportion with its Wilson CI (Kaplan–Meier curves: plots/kaplan-meier-curves).
 */
const ROW = 38;

/** Ticks per twin and a box (quartiles, median, whiskers to 1.5 IQR) per arm. */
export function distributionPlot(
  values: readonly ArmValue[],
  labels: { endpoint: string; unit?: string; arms: readonly string[]; colours: readonly string[] }
): PlotOptions {
  return {
    width: 560,
    height: 50 + ROW * labels.arms.length,
    marginLeft: 80,
    x: { label: axisLabel(labels.endpoint, labels.unit), nice: true, grid: true },
    y: { domain: [...labels.arms], label: null },
    color: { domain: [...labels.colours] },
    marks: [
      Plot.tickX(values, { x: 'value', y: 'arm', stroke: 'arm', strokeOpacity: 0.35 }),
      Plot.boxX(values, { x: 'value', y: 'arm', fill: '#1d2b36', fillOpacity: 0.12, stroke: '#1d2b36', r: 0 })
    ]
  };
}

/** Responder proportion per arm (bar) with its Wilson CI (rule). */
export function proportionPlot(
  arms: readonly BinaryArmSummary[],
  labels: { endpoint: string; order: readonly string[]; colours: readonly string[]; confLevel: number }
): PlotOptions {
  return {
    width: 560,
    height: 50 + ROW * arms.length,
    marginLeft: 80,
    x: { label: `${labels.endpoint}: responders (%)`, domain: [0, 100], percent: true, grid: true },
    y: { domain: [...labels.order], label: null },
    color: { domain: [...labels.colours] },
    caption: `Proportion with its ${Math.round(labels.confLevel * 100)}% Wilson CI`,
    marks: [
      Plot.barX(arms, {
        x: 'proportion',
        y: 'arm',
        fill: 'arm',
        fillOpacity: 0.6,
        insetTop: 6,
        insetBottom: 6
      }),
      Plot.ruleY(arms, { y: 'arm', x1: 'ciLow', x2: 'ciHigh', stroke: '#1d2b36', strokeWidth: 2 }),
      Plot.ruleX([0])
    ]
  };
}
