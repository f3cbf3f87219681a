import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';

/** A time unit for axes: hours for short studies, days up to eight weeks, then weeks. */
export function timeUnitFor(durationHours: number): { unit: 'h' | 'd' | 'w'; hours: number } {
  if (durationHours <= 72) return { unit: 'h', hours: 1 };
  if (durationHours <= 8 * 168) return { unit: 'd', hours: 24 };
  return { unit: 'w', hours: 168 };
}

/** 'name (unit)'; a dimensionless unit ('1', as generic PD blocks declare) is left out. */
export function axisLabel(name: string, unit: string | undefined): string {
  return unit && unit !== '1' ? `${name} (${unit})` : name;
}

export interface ProfilePoint {
  arm: string;
  /** Hours. */
  time: number;
  value: number;
  /** The twin, for individual profiles (option `individual`). */
  twin?: number;
}

export const profileDefaults = {
  width: 440,
  height: 220,
  /** Draw a dot at every point (observed visit means) as well as the line. */
  points: false,
  /** Study duration (h); sets the time axis unit and domain. Default: the last time. */
  duration: undefined as number | undefined,
  /** Individual twins' profiles: a thin line per twin and arm instead of one per arm. */
  individual: false
};

/**
 * One output over time, one line per arm, or per twin with `individual` (colours
 * follow `arms`, so every panel and the dosing timeline agree). The y label carries
 * the output's unit.
 */
export function profilePlot(
  data: readonly ProfilePoint[],
  labels: { output: string; unit?: string; arms: readonly string[] },
  options: Partial<typeof profileDefaults> = {}
): PlotOptions {
  const o = { ...profileDefaults, ...options };
  const duration = o.duration ?? Math.max(0, ...data.map((d) => d.time));
  const t = timeUnitFor(duration);
  const rows = data.map((d) => ({
    arm: d.arm,
    line: o.individual ? `${d.arm}/${d.twin}` : d.arm,
    t: d.time / t.hours,
    value: d.value
  }));
  const channels = { x: 't', y: 'value', stroke: 'arm', z: 'line' } as const;
  return {
    width: o.width,
    height: o.height,
    marginLeft: 56,
    grid: true,
    x: { label: `time (${t.unit})`, domain: [0, duration / t.hours] },
    y: { label: axisLabel(labels.output, labels.unit), nice: true },
    insetTop: o.points ? 6 : 0,
    color: { legend: true, domain: [...labels.arms], label: 'arm' },
    marks: [
      Plot.line(rows, {
        ...channels,
        strokeWidth: o.individual ? 0.9 : 1.6,
        strokeOpacity: o.individual ? 0.7 : 1
      }),
      ...(o.points ? [Plot.dot(rows, { ...channels, fill: 'arm', r: 2.5 })] : [])
    ]
  };
}
