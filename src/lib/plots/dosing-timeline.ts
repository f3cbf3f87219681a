import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { timeUnitFor } from './profile';

export interface DoseEvent {
  arm: string;
  /** Hours. */
  time: number;
  /** mg. */
  amount: number;
}

export const dosingTimelineDefaults = { width: 440, rowHeight: 56 };

/**
 * A dosing timeline: one row per arm, a stem per dose at its time with the amount as
 * its height. Arms without doses (placebo) keep their row and say so.
 */
export function dosingTimelinePlot(
  doses: readonly DoseEvent[],
  arms: readonly string[],
  duration: number,
  options: Partial<typeof dosingTimelineDefaults> = {}
): PlotOptions {
  const o = { ...dosingTimelineDefaults, ...options };
  const t = timeUnitFor(duration);
  const rows = doses.map((d) => ({ arm: d.arm, t: d.time / t.hours, amount: d.amount }));
  const top = Math.max(1, ...doses.map((d) => d.amount));
  const empty = arms.filter((a) => !doses.some((d) => d.arm === a)).map((arm) => ({ arm }));
  return {
    width: o.width,
    height: 40 + o.rowHeight * arms.length,
    marginLeft: 48,
    marginRight: 90,
    x: { label: `time (${t.unit})`, domain: [0, duration / t.hours] },
    y: { label: 'dose (mg)', grid: true, ticks: [0, top], domain: [0, top], nice: false },
    fy: { label: null, domain: [...arms], padding: 0.3 },
    color: { domain: [...arms] },
    marks: [
      Plot.frame({ stroke: '#dde3e9' }),
      Plot.ruleX(rows, { x: 't', y1: 0, y2: 'amount', fy: 'arm', stroke: 'arm' }),
      Plot.dot(rows, { x: 't', y: 'amount', fy: 'arm', fill: 'arm', r: 1.6 }),
      Plot.text(empty, {
        fy: 'arm',
        frameAnchor: 'middle',
        text: () => 'no active drug',
        fill: '#6b7b8b'
      })
    ]
  };
}
