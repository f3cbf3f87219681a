import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { KaplanMeierCurve } from './kaplan-meier';
import { kaplanMeierMarks } from './kaplan-meier';

export const kaplanMeierRiskDefaults = { width: 560, height: 300, ticks: 6, rowHeight: 14 };

/**
 * Numbers at risk at each of `times`: the twins whose time is ≥ t, as R's
 * summary(survfit(...), times = t)$n.risk gives (Kaplan–Meier's n.risk at the first time ≥ t,
 * 0 after the last).
 */
export function numbersAtRisk(curve: KaplanMeierCurve, times: readonly number[]): number[] {
  const { time, nRisk } = curve.km;
  return times.map((t) => {
    const i = time.findIndex((u) => u >= t);
    return i < 0 ? 0 : nRisk[i];
  });
}

/**
 * The median survival time: the first time at which S(t) ≤ 0.5, as R's survfit prints it
 * (null when the curve stays above one half). Where S is exactly 0.5 over an interval, survfit
 * gives the interval's midpoint instead; with thousands of twins that is a rare tie.
 */
export function medianSurvival(curve: KaplanMeierCurve): number | null {
  const i = curve.km.surv.findIndex((s) => s <= 0.5);
  return i < 0 ? null : curve.km.time[i];
}

/** Evenly spaced axis times from 0 to at least `end` (a 1, 2, 2.5 or 5 × 10^k step). */
export function riskTimes(end: number, ticks: number): number[] {
  if (!(end > 0)) return [0];
  const raw = end / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.floor(end / step + 1e-9) + 1 }, (_, i) => i * step);
}

/**
 * Kaplan–Meier curves per arm with their pointwise confidence bands (shaded, log
 * transformed, survfit's default), censoring ticks, dashed median lines (to the curve at
 * S = 0.5 and down to the axis), and the numbers at risk per arm as rows of text under the
 * time axis, aligned with its ticks (the table trial reports print under the plot).
 */
export function kaplanMeierRiskPlot(
  curves: readonly KaplanMeierCurve[],
  labels: { time: string; unit: string },
  options: Partial<typeof kaplanMeierRiskDefaults> = {}
): PlotOptions {
  const o = { ...kaplanMeierRiskDefaults, ...options };
  const { steps, censored } = kaplanMeierMarks(curves);
  const end = Math.max(0, ...steps.map((s) => s.time));
  const times = riskTimes(end, o.ticks);
  const band = curves.flatMap(({ arm, km }) => [
    { arm, time: 0, lower: 1, upper: 1 },
    ...km.time.map((time, i) => ({ arm, time, lower: km.lower[i] ?? 0, upper: km.upper[i] ?? 0 }))
  ]);
  const medians = curves.flatMap((c) => {
    const m = medianSurvival(c);
    return m === null ? [] : [{ arm: c.arm, time: m }];
  });
  const risk = curves.flatMap((c, row) =>
    numbersAtRisk(c, times).map((n, i) => ({ arm: c.arm, row, time: times[i], n }))
  );
  const tableTop = 44;
  return {
    width: o.width,
    height: o.height + tableTop + o.rowHeight * (curves.length + 1),
    marginLeft: 100,
    marginBottom: tableTop + o.rowHeight * (curves.length + 1),
    grid: true,
    x: {
      label: `${labels.time} (${labels.unit})`,
      domain: [0, Math.max(end, times[times.length - 1])],
      ticks: times
    },
    y: { label: 'Survival probability', domain: [0, 1] },
    color: { legend: true, label: 'arm', domain: curves.map((c) => c.arm) },
    marks: [
      Plot.areaY(band, {
        x: 'time',
        y1: 'lower',
        y2: 'upper',
        fill: 'arm',
        z: 'arm',
        fillOpacity: 0.12,
        curve: 'step-after'
      }),
      Plot.line(steps, { x: 'time', y: 'surv', stroke: 'arm', curve: 'step-after' }),
      Plot.ruleX(censored, { x: 'time', y1: (d) => d.surv - 0.02, y2: (d) => d.surv + 0.02, stroke: 'arm' }),
      Plot.ruleY([0.5], {
        x1: 0,
        x2: Math.max(0, ...medians.map((m) => m.time)),
        stroke: '#6b7b8b',
        strokeDasharray: '4,3'
      }),
      Plot.ruleX(medians, { x: 'time', y1: 0, y2: 0.5, stroke: 'arm', strokeDasharray: '4,3' }),
      Plot.text(['Number at risk'], {
        frameAnchor: 'bottom-left',
        dx: -94,
        dy: tableTop - 4,
        textAnchor: 'start',
        fontWeight: 'bold'
      }),
      ...curves.map((c, row) =>
        Plot.text([{ arm: c.arm }], {
          frameAnchor: 'bottom-left',
          dx: -14,
          dy: tableTop + o.rowHeight * (row + 1),
          textAnchor: 'end',
          text: 'arm',
          fill: 'arm'
        })
      ),
      ...curves.map((c, row) =>
        Plot.text(
          risk.filter((r) => r.row === row),
          {
            x: 'time',
            frameAnchor: 'bottom',
            dy: tableTop + o.rowHeight * (row + 1),
            text: (d) => String(d.n),
            fill: 'arm'
          }
        )
      )
    ]
  };
}
