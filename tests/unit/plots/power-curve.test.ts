// Power curve: pure options that Observable Plot renders in Node (linkedom).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it, vi } from 'vitest';
import { powerCurvePlot, powerCurvePoints } from '../../../src/lib/plots/power-curve';
import type { SizePower } from '../../../src/lib/runner/power';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

const arm = (name: string, power: number, ciLow: number, ciHigh: number) => ({
  arm: name,
  power,
  ciLow,
  ciHigh,
  probabilityOfSuccess: power,
  meanEstimate: -5
});

const sizes: SizePower[] = [
  { n: 80, replicates: 50, arms: [arm('low', 0.5, 0.37, 0.63), arm('high', 0.9, 0.79, 0.96)] },
  { n: 40, replicates: 50, arms: [arm('low', 0.3, 0.19, 0.44), arm('high', 0.6, 0.46, 0.72)] },
  // a size whose first wave has not finished yet draws nothing
  { n: 160, replicates: 0, arms: [arm('low', 0, 0, 1), arm('high', 0, 0, 1)] }
];

describe('powerCurvePoints', () => {
  it('gives one point per size and arm in increasing n, leaving out sizes with no replicate yet', () => {
    const points = powerCurvePoints(sizes);
    expect(points.map((p) => [p.n, p.arm, p.power])).toEqual([
      [40, 'low', 0.3],
      [40, 'high', 0.6],
      [80, 'low', 0.5],
      [80, 'high', 0.9]
    ]);
    expect(points[0]).toMatchObject({ ciLow: 0.19, ciHigh: 0.44, replicates: 50 });
  });
});

describe('powerCurvePlot', () => {
  it('draws a band, a line and dots per arm on a percent axis, with a labelled n axis', () => {
    const options = powerCurvePlot(sizes, { arms: ['low', 'high'] });
    expect(options.marks).toHaveLength(3);
    expect(options.y).toMatchObject({ domain: [0, 100], percent: true });
    expect(options.x).toMatchObject({ domain: [40, 80] });
    const svg = render(options);
    const html = svg.outerHTML;
    expect(svg.querySelectorAll('g[aria-label="area"] path').length).toBe(2);
    expect(svg.querySelectorAll('g[aria-label="line"] path').length).toBe(2);
    const dots = [...svg.querySelectorAll('g[aria-label="dot"] circle')];
    expect(dots.length).toBe(4);
    // on the plot: power 0.3 to 0.9 sits between the frame's top and bottom
    for (const d of dots) {
      const cy = Number(d.getAttribute('cy'));
      expect(cy).toBeGreaterThan(20);
      expect(cy).toBeLessThan(320 - 30);
    }
    expect(html).toContain('Total sample size n (all arms)');
    expect(html).toContain('Power (%)');
  });

  it('adds a dashed rule at the target power', () => {
    const options = powerCurvePlot(sizes, { target: 0.8 });
    expect(options.marks).toHaveLength(4);
    const svg = render(options);
    const rule = svg.querySelector('g[aria-label="rule"]');
    expect(rule?.getAttribute('stroke-dasharray')).toBe('4,3');
    expect(rule?.querySelectorAll('line').length).toBe(1);
  });

  it('starts the n axis at 0 while a single size has run', () => {
    const options = powerCurvePlot([sizes[1]]);
    expect(options.x).toMatchObject({ domain: [0, 80] });
    // one point per arm: series named by arm, so Plot does not warn about the z channel
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    render(options);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('draws a size with fewer replicates than asked hollow, says so, and links each point to its size', () => {
    const cut = [sizes[1], { ...sizes[0], replicates: 20 }];
    const svg = render(powerCurvePlot(cut, { replicates: 50, href: (n) => `?size=${n}` }));
    const dots = [...svg.querySelectorAll('g[aria-label="dot"] circle')];
    const hollow = dots.filter((d) => d.getAttribute('fill-opacity') === '0');
    expect(hollow.map((d) => d.querySelector('title')?.textContent)).toEqual([
      'low, n = 80: power 50.0% (95% CI 37.0–63.0%, partial: 20 of 50 replicates)',
      'high, n = 80: power 90.0% (95% CI 79.0–96.0%, partial: 20 of 50 replicates)'
    ]);
    expect(dots.length - hollow.length).toBe(2);
    const links = [...svg.querySelectorAll('g[aria-label="dot"] a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['?size=40', '?size=40', '?size=80', '?size=80']);
  });

  it('renders an empty frame before any replicate has finished', () => {
    const options = powerCurvePlot([]);
    expect(() => render(options)).not.toThrow();
  });
});
