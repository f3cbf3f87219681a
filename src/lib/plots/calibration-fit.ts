import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { axisLabel, timeUnitFor } from './profile';

/**
 * A fitted patient's output over their own dosing history (the goodness-of-fit picture of
 * Bayesian dosing, as mapbayr's `plot()` draws it): the observations, the population
 * prediction (typical values with the patient's covariates), the individual prediction
 * at the MAP with the 90 % band of the posterior draws, and observations below the
 * quantification limit as open triangles at their limit. Doses are dashed rules.
 */
export const calibrationFitDefaults = {
  width: 560,
  height: 280,
  /** Times of the doses (h), drawn as dashed rules. */
  doseTimes: [] as readonly number[]
};

/** One output's curves on the profile's grid (h on the patient's clock). */
export interface FitCurves {
  times: ArrayLike<number>;
  pred: ArrayLike<number>;
  ipred: ArrayLike<number>;
  band5: ArrayLike<number>;
  band95: ArrayLike<number>;
}

export interface FitObservation {
  /** h on the patient's clock. */
  time: number;
  /** The observed value, or for a BLQ observation its limit. */
  value: number;
  blq: boolean;
}

export const FIT_SERIES = {
  population: 'population prediction',
  individual: 'individual prediction',
  band: '90 % band',
  observed: 'observed',
  blq: 'below LLOQ (at the limit)'
} as const;

export function calibrationFitPlot(
  curves: FitCurves,
  observations: readonly FitObservation[],
  labels: { output: string; unit?: string },
  options: Partial<typeof calibrationFitDefaults> = {}
): PlotOptions {
  const o = { ...calibrationFitDefaults, ...options };
  const n = curves.times.length;
  const duration = n ? curves.times[n - 1] : 0;
  const t = timeUnitFor(duration);
  const grid = Array.from({ length: n }, (_, k) => ({
    t: curves.times[k] / t.hours,
    pred: curves.pred[k],
    ipred: curves.ipred[k],
    low: curves.band5[k],
    high: curves.band95[k]
  }));
  const seen = observations.filter((p) => !p.blq).map((p) => ({ t: p.time / t.hours, value: p.value }));
  const blq = observations.filter((p) => p.blq).map((p) => ({ t: p.time / t.hours, value: p.value }));
  const doses = o.doseTimes.filter((d) => d <= duration).map((d) => d / t.hours);
  const series = [
    FIT_SERIES.population,
    FIT_SERIES.individual,
    FIT_SERIES.band,
    FIT_SERIES.observed,
    ...(blq.length ? [FIT_SERIES.blq] : [])
  ];
  const colours: Record<string, string> = {
    [FIT_SERIES.population]: '#8a99a8',
    [FIT_SERIES.individual]: '#2a6f97',
    [FIT_SERIES.band]: '#a9cce3',
    [FIT_SERIES.observed]: '#1d2b36',
    [FIT_SERIES.blq]: '#c0392b'
  };
  // Each mark's colour is a channel of its series name, so the legend names every series.
  const as = (name: string) => () => name;
  const format = (v: number) => `${Math.round(v * 1000) / 1000}`;
  return {
    width: o.width,
    height: o.height,
    marginLeft: 56,
    grid: true,
    x: { label: `time (${t.unit})`, domain: [0, duration / t.hours] },
    y: { label: axisLabel(labels.output, labels.unit), nice: true, zero: true },
    color: { legend: true, domain: series, range: series.map((name) => colours[name]) },
    marks: [
      ...(doses.length ? [Plot.ruleX(doses, { stroke: '#8a99a8', strokeDasharray: '3,3' })] : []),
      Plot.areaY(grid, { x: 't', y1: 'low', y2: 'high', fill: as(FIT_SERIES.band), fillOpacity: 0.6 }),
      Plot.line(grid, { x: 't', y: 'pred', stroke: as(FIT_SERIES.population), strokeDasharray: '5,3' }),
      Plot.line(grid, { x: 't', y: 'ipred', stroke: as(FIT_SERIES.individual), strokeWidth: 2 }),
      Plot.dot(seen, {
        x: 't',
        y: 'value',
        fill: as(FIT_SERIES.observed),
        r: 4,
        title: (p: { t: number; value: number }) => `observed ${format(p.value)} at ${format(p.t)} ${t.unit}`
      }),
      ...(blq.length
        ? [
            Plot.dot(blq, {
              x: 't',
              y: 'value',
              symbol: 'triangle',
              stroke: as(FIT_SERIES.blq),
              fill: 'none',
              r: 5,
              title: (p: { t: number; value: number }) =>
                `below the quantification limit ${format(p.value)} at ${format(p.t)} ${t.unit}`
            })
          ]
        : [])
    ]
  };
}
