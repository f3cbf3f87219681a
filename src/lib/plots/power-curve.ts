import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { SizePower } from '../runner/power';

/**
 * Power curve of replicate trials: power against the total sample size, one line per
 * active arm, with its Monte Carlo 95% (Wilson) band and a dot per evaluated size; a
 * dashed rule marks the target power when one is given. Sizes still running draw with
 * the replicates done so far, so the curve fills in as replicates finish.
 */
export const powerCurveDefaults = { width: 560, height: 320 };

export interface PowerCurvePoint {
  arm: string;
  n: number;
  power: number;
  ciLow: number;
  ciHigh: number;
  replicates: number;
}

export interface PowerCurveOptions extends Partial<typeof powerCurveDefaults> {
  /** draws a dashed rule at this power */
  target?: number;
  /** arm order for the colours (default: first appearance) */
  arms?: readonly string[];
  /** replicates asked per size: a size with fewer (cut short by a cancel) draws as a hollow point */
  replicates?: number;
  /** a link for each size's points (the page's drill-down into its replicates) */
  href?: (n: number) => string;
}

/** One point per (size, arm), in increasing n. */
export function powerCurvePoints(sizes: readonly SizePower[]): PowerCurvePoint[] {
  return [...sizes]
    .filter((s) => s.replicates > 0)
    .sort((a, b) => a.n - b.n)
    .flatMap((s) =>
      s.arms.map((a) => ({
        arm: a.arm,
        n: s.n,
        power: a.power,
        ciLow: a.ciLow,
        ciHigh: a.ciHigh,
        replicates: s.replicates
      }))
    );
}

export function powerCurvePlot(sizes: readonly SizePower[], options: PowerCurveOptions = {}): PlotOptions {
  const o = { ...powerCurveDefaults, ...options };
  const points = powerCurvePoints(sizes);
  const arms = options.arms ?? [...new Set(points.map((p) => p.arm))];
  const ns = points.map((p) => p.n);
  const partial = (p: PowerCurvePoint) => o.replicates !== undefined && p.replicates < o.replicates;
  const marks: Plot.Markish[] = [
    Plot.areaY(points, {
      x: 'n',
      y1: 'ciLow',
      y2: 'ciHigh',
      fill: 'arm',
      z: 'arm',
      fillOpacity: 0.15,
      curve: 'linear'
    }),
    Plot.line(points, { x: 'n', y: 'power', stroke: 'arm', z: 'arm', strokeWidth: 2 }),
    Plot.dot(points, {
      x: 'n',
      y: 'power',
      fill: 'arm',
      // a size cut short by a cancel draws hollow: its ring in the arm's colour, no fill
      fillOpacity: (p: PowerCurvePoint) => (partial(p) ? 0 : 1),
      stroke: 'arm',
      strokeWidth: 1.5,
      r: 3.5,
      href: o.href ? (p: PowerCurvePoint) => o.href!(p.n) : undefined,
      title: (p: PowerCurvePoint) =>
        `${p.arm}, n = ${p.n}: power ${(100 * p.power).toFixed(1)}% ` +
        `(95% CI ${(100 * p.ciLow).toFixed(1)}–${(100 * p.ciHigh).toFixed(1)}%, ` +
        (partial(p)
          ? `partial: ${p.replicates} of ${o.replicates} replicates)`
          : `${p.replicates} replicates)`)
    })
  ];
  if (o.target !== undefined) {
    marks.unshift(Plot.ruleY([o.target], { stroke: '#888', strokeDasharray: '4,3' }));
  }
  return {
    width: o.width,
    height: o.height,
    marginLeft: 50,
    grid: true,
    x: {
      label: 'Total sample size n (all arms)',
      // a single size so far: from 0, so the axis does not collapse to a point
      domain: !ns.length
        ? undefined
        : Math.min(...ns) < Math.max(...ns)
          ? [Math.min(...ns), Math.max(...ns)]
          : [0, 2 * ns[0]],
      nice: true
    },
    y: { label: 'Power (%)', domain: [0, 100], percent: true },
    color: { legend: true, label: 'arm', domain: arms },
    caption: 'Share of replicate trials significant (Holm-adjusted) with its Monte Carlo 95% CI',
    marks
  };
}
