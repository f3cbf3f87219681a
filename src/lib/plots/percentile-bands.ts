import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { axisLabel, timeUnitFor } from './profile';

/** One arm's percentiles of one output at one nominal time (see analysis/run-bands). */
export interface BandPoint {
  arm: string;
  /** Hours. */
  time: number;
  n: number;
  p05: number;
  p50: number;
  p95: number;
}

export const percentileBandsDefaults = {
  width: 440,
  height: 240,
  /** Study duration (h); sets the time axis unit and domain. Default: the last time. */
  duration: undefined as number | undefined,
  /** Height of each arm's row of n above the plot (px). */
  nRow: 13
};

/**
 * Visual-predictive-check style bands of one output over time: per arm, the 5–95 %
 * percentile band (shaded), the median (line) with the visits on it as dots, and the number
 * of observations at each visit as a row of counts per arm above the plot, in the arm's colour.
 */
export function percentileBandsPlot(
  data: readonly BandPoint[],
  labels: { output: string; unit?: string; arms: readonly string[] },
  options: Partial<typeof percentileBandsDefaults> = {}
): PlotOptions {
  const o = { ...percentileBandsDefaults, ...options };
  const duration = o.duration ?? Math.max(0, ...data.map((d) => d.time));
  const unit = timeUnitFor(duration);
  const rows = data.map((d) => ({ ...d, t: d.time / unit.hours }));
  const arms = labels.arms.filter((a) => rows.some((r) => r.arm === a));
  const tip = (d: (typeof rows)[number]) =>
    `${d.arm}, ${d.t} ${unit.unit}: median ${d.p50.toPrecision(4)} (5–95 %: ${d.p05.toPrecision(4)} to ${d.p95.toPrecision(4)}), n = ${d.n}`;
  return {
    width: o.width,
    height: o.height + o.nRow * arms.length,
    marginTop: 14 + o.nRow * arms.length,
    marginLeft: 56,
    grid: true,
    x: { label: `time (${unit.unit})`, domain: [0, duration / unit.hours] },
    y: { label: axisLabel(labels.output, labels.unit), nice: true },
    color: { legend: true, domain: [...labels.arms], label: 'arm' },
    marks: [
      Plot.areaY(rows, { x: 't', y1: 'p05', y2: 'p95', fill: 'arm', z: 'arm', fillOpacity: 0.14 }),
      Plot.line(rows, {
        x: 't',
        y: 'p05',
        stroke: 'arm',
        z: 'arm',
        strokeDasharray: '3,3',
        strokeWidth: 0.8
      }),
      Plot.line(rows, {
        x: 't',
        y: 'p95',
        stroke: 'arm',
        z: 'arm',
        strokeDasharray: '3,3',
        strokeWidth: 0.8
      }),
      Plot.line(rows, { x: 't', y: 'p50', stroke: 'arm', z: 'arm', strokeWidth: 1.6 }),
      Plot.dot(rows, { x: 't', y: 'p50', fill: 'arm', r: 2.5, title: tip }),
      ...arms.map((arm, i) =>
        Plot.text(
          rows.filter((r) => r.arm === arm),
          {
            x: 't',
            text: (d: (typeof rows)[number]) => String(d.n),
            frameAnchor: 'top',
            dy: -(arms.length - i) * o.nRow,
            fill: 'arm',
            fontSize: 9
          }
        )
      ),
      Plot.text(['n'], { frameAnchor: 'top-left', dx: -30, dy: -arms.length * o.nRow, fontSize: 9 })
    ]
  };
}
