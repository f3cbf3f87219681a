import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { KaplanMeierResult } from '../stats';

/**
 * Kaplan–Meier survival curves, one step curve per arm starting at S(0) = 1, with a short
 * vertical tick at each censoring time at the curve's height there. The x axis names the time
 * unit; colours identify the arms (legend).
 */
export const kaplanMeierDefaults = { width: 560, height: 320, tick: 0.02 };

export interface KaplanMeierCurve {
  arm: string;
  km: KaplanMeierResult;
}

interface StepPoint {
  arm: string;
  time: number;
  surv: number;
}

/** The step points of the curves (with the start at time 0) and the censoring marks. */
export function kaplanMeierMarks(curves: readonly KaplanMeierCurve[]): {
  steps: StepPoint[];
  censored: StepPoint[];
} {
  const steps: StepPoint[] = [];
  const censored: StepPoint[] = [];
  for (const { arm, km } of curves) {
    steps.push({ arm, time: 0, surv: 1 });
    km.time.forEach((t, i) => {
      steps.push({ arm, time: t, surv: km.surv[i] });
      if (km.nCensor[i] > 0) censored.push({ arm, time: t, surv: km.surv[i] });
    });
  }
  return { steps, censored };
}

export function kaplanMeierPlot(
  curves: readonly KaplanMeierCurve[],
  labels: { time: string; unit?: string },
  options: Partial<typeof kaplanMeierDefaults> = {}
): PlotOptions {
  const o = { ...kaplanMeierDefaults, ...options };
  const { steps, censored } = kaplanMeierMarks(curves);
  return {
    width: o.width,
    height: o.height,
    marginLeft: 50,
    grid: true,
    x: {
      label: `${labels.time}${labels.unit ? ` (${labels.unit})` : ''}`,
      domain: [0, Math.max(0, ...steps.map((s) => s.time))]
    },
    y: { label: 'Survival probability', domain: [0, 1] },
    color: { legend: true, label: 'arm', domain: curves.map((c) => c.arm) },
    marks: [
      Plot.line(steps, { x: 'time', y: 'surv', stroke: 'arm', curve: 'step-after' }),
      Plot.ruleX(censored, {
        x: 'time',
        y1: (d: StepPoint) => d.surv - o.tick,
        y2: (d: StepPoint) => d.surv + o.tick,
        stroke: 'arm'
      })
    ]
  };
}
