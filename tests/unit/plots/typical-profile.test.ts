// The Models page's typical profile: pure options that Observable Plot renders in Node (linkedom).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { typicalProfilePlot } from '../../../src/lib/plots/typical-profile';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

describe('typicalProfilePlot', () => {
  const times = Float64Array.from({ length: 49 }, (_, k) => k);
  const values = times.map((t) => 2 * Math.exp(-0.1 * t));

  it('draws one line with the output and unit on the y axis, no legend, a rule per dose', () => {
    const svg = render(
      typicalProfilePlot(times, values, { output: 'C', unit: 'mg/L' }, { doseTimes: [0, 24] })
    );
    const text = svg.textContent ?? '';
    expect(text).toContain('C (mg/L)');
    expect(text).toContain('time (h)');
    expect(text).not.toContain('typical');
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2);
  });

  it('leaves out doses after the last time and draws no rules without doses', () => {
    const svg = render(typicalProfilePlot(times, values, { output: 'C' }, { doseTimes: [0, 100] }));
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    const none = render(typicalProfilePlot(times, values, { output: 'C' }));
    expect(none.querySelectorAll('g[aria-label="rule"]')).toHaveLength(0);
  });

  it('uses days for a week-long profile', () => {
    const week = Float64Array.from({ length: 8 }, (_, k) => 24 * k);
    const svg = render(typicalProfilePlot(week, week, { output: 'E', unit: '1' }));
    expect(svg.textContent).toContain('time (d)');
  });
});
