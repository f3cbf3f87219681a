// The Calibrate page's fit plot: pure options that Observable Plot renders in Node (linkedom).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { calibrationFitPlot, FIT_SERIES } from '../../../src/lib/plots/calibration-fit';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

const times = Float64Array.from({ length: 25 }, (_, k) => k);
const curves = {
  times,
  pred: times.map((t) => 10 * Math.exp(-0.2 * t)),
  ipred: times.map((t) => 12 * Math.exp(-0.25 * t)),
  band5: times.map((t) => 9 * Math.exp(-0.25 * t)),
  band95: times.map((t) => 15 * Math.exp(-0.25 * t))
};

describe('calibrationFitPlot', () => {
  it('draws the band, both predictions, a dot per observation and a rule per dose, with units', () => {
    const observations = [
      { time: 2, value: 7.5, blq: false },
      { time: 20, value: 0.1, blq: false }
    ];
    const svg = render(
      calibrationFitPlot(curves, observations, { output: 'C', unit: 'mg/L' }, { doseTimes: [0, 6, 12, 30] })
    );
    const text = svg.textContent ?? '';
    expect(text).toContain('C (mg/L)');
    expect(text).toContain('time (h)');
    for (const name of [FIT_SERIES.population, FIT_SERIES.individual, FIT_SERIES.band, FIT_SERIES.observed])
      expect(text).toContain(name);
    expect(text).not.toContain(FIT_SERIES.blq);
    expect(svg.querySelectorAll('g[aria-label="area"] path')).toHaveLength(1);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2);
    // The dose at 30 h is after the last time: not drawn.
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(3);
  });

  it('marks an observation below the quantification limit as a triangle at its limit, named in the legend', () => {
    const observations = [
      { time: 2, value: 7.5, blq: false },
      { time: 22, value: 0.5, blq: true }
    ];
    const svg = render(calibrationFitPlot(curves, observations, { output: 'C', unit: 'mg/L' }));
    expect(svg.textContent).toContain(FIT_SERIES.blq);
    const dots = svg.querySelectorAll('g[aria-label="dot"]');
    expect(dots).toHaveLength(2);
    expect(dots[0].querySelectorAll('circle')).toHaveLength(1);
    // Plot draws a symbol other than a circle as a path.
    expect(dots[1].querySelectorAll('path')).toHaveLength(1);
    expect(dots[1].querySelector('title')?.textContent).toBe('below the quantification limit 0.5 at 22 h');
  });

  it('uses days for a fortnight of history and leaves a dimensionless unit out', () => {
    const long = { ...curves, times: times.map((t) => 14 * t) };
    const svg = render(calibrationFitPlot(long, [], { output: 'E', unit: '1' }));
    expect(svg.textContent).toContain('time (d)');
    expect(svg.textContent).not.toContain('E (1)');
  });
});
