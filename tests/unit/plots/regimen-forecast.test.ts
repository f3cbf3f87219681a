// The Calibrate page's regimen comparison plot: pure options rendered in Node (linkedom).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { regimenForecastPlot } from '../../../src/lib/plots/regimen-forecast';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

const times = Float64Array.from({ length: 49 }, (_, k) => k / 2);
const forecast = (label: string, level: number) => ({
  label,
  times,
  band5: times.map(() => 0.8 * level),
  band50: times.map(() => level),
  band95: times.map(() => 1.25 * level)
});
const forecasts = [forecast('15 mg/kg q6h', 10), forecast('20 mg/kg q8h', 12)];

describe('regimenForecastPlot', () => {
  it('draws one band and one median line per regimen, each named in the legend', () => {
    const svg = render(
      regimenForecastPlot(forecasts, {
        output: 'C',
        unit: 'mg/L',
        target: { metric: 'auc', low: 400, high: 600 }
      })
    );
    const text = svg.textContent ?? '';
    expect(text).toContain('C (mg/L)');
    expect(text).toContain('time after the regimen starts (h)');
    expect(text).toContain('15 mg/kg q6h');
    expect(text).toContain('20 mg/kg q8h');
    expect(svg.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    // An AUC range is not a concentration: no rules.
    expect(svg.querySelectorAll('g[aria-label="rule"]')).toHaveLength(0);
  });

  it('draws a trough range as two rules and an open range as one', () => {
    const both = render(
      regimenForecastPlot(forecasts, { output: 'C', target: { metric: 'trough', low: 10, high: 15 } })
    );
    expect(both.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2);
    const one = render(regimenForecastPlot(forecasts, { output: 'C', target: { metric: 'peak', low: 20 } }));
    expect(one.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
  });
});
