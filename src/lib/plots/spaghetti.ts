import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { axisLabel, timeUnitFor } from './profile';

/** One twin's observed value at one time (see analysis/run-spaghetti). */
export interface SpaghettiPoint {
  arm: string;
  twin: number;
  /** Hours. */
  time: number;
  value: number;
}

export const spaghettiDefaults = {
  width: 440,
  height: 240,
  /** Study duration (h); sets the time axis unit and domain. Default: the last time. */
  duration: undefined as number | undefined,
  /** A dot at each observation (off for dense profiles, thousands of points per twin). */
  points: true
};

/**
 * Individual twins' observed profiles of one output, a thin line per twin in its arm's
 * colour with a dot at each observation. Lines and dots link to `href(twin, arm)` (Plot
 * wraps each in an SVG <a>), so a click opens that twin; the tooltip names it.
 */
export function spaghettiPlot(
  data: readonly SpaghettiPoint[],
  labels: { output: string; unit?: string; arms: readonly string[] },
  href: (twin: number, arm: string) => string,
  options: Partial<typeof spaghettiDefaults> = {}
): PlotOptions {
  const o = { ...spaghettiDefaults, ...options };
  const duration = o.duration ?? Math.max(0, ...data.map((d) => d.time));
  const unit = timeUnitFor(duration);
  const rows = data.map((d) => ({
    arm: d.arm,
    line: `${d.arm}/${d.twin}`,
    t: d.time / unit.hours,
    value: d.value,
    href: href(d.twin, d.arm),
    title: `twin ${d.twin} (${d.arm}): open its story`
  }));
  const channels = { x: 't', y: 'value', stroke: 'arm', z: 'line', href: 'href', title: 'title' } as const;
  return {
    width: o.width,
    height: o.height,
    marginLeft: 56,
    grid: true,
    x: { label: `time (${unit.unit})`, domain: [0, duration / unit.hours] },
    y: { label: axisLabel(labels.output, labels.unit), nice: true },
    color: { legend: true, domain: [...labels.arms], label: 'arm' },
    marks: [
      Plot.line(rows, { ...channels, strokeWidth: 1, strokeOpacity: 0.55 }),
      ...(o.points ? [Plot.dot(rows, { ...channels, fill: 'arm', r: 2.2, fillOpacity: 0.8 })] : [])
    ]
  };
}
