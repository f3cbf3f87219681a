// Dosing timeline and profile plots: pure options that Observable Plot renders in Node (linkedom).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { dosingTimelinePlot } from '../../../src/lib/plots/dosing-timeline';
import { axisLabel, profilePlot, timeUnitFor } from '../../../src/lib/plots/profile';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

const arms = ['placebo', '5 mg', '10 mg'];

describe('timeUnitFor', () => {
  it('uses hours up to 3 days, days up to 8 weeks, then weeks', () => {
    expect(timeUnitFor(72)).toEqual({ unit: 'h', hours: 1 });
    expect(timeUnitFor(28 * 24)).toEqual({ unit: 'd', hours: 24 });
    expect(timeUnitFor(12 * 168)).toEqual({ unit: 'w', hours: 168 });
  });
});

describe('dosingTimelinePlot', () => {
  const doses = [5, 10].flatMap((amount) =>
    Array.from({ length: 14 }, (_, k) => ({ arm: `${amount} mg`, time: 24 * k, amount }))
  );

  it('draws a stem per dose, one row per arm, and says which arms get no drug', () => {
    const svg = render(dosingTimelinePlot(doses, arms, 14 * 24));
    const text = svg.textContent ?? '';
    expect(text).toContain('no active drug');
    for (const arm of arms) expect(text).toContain(arm);
    expect(text).toContain('time (d)');
    expect(text).toContain('dose (mg)');
    // 28 dose stems (+ the frame's and axes' lines)
    expect(svg.querySelectorAll('line').length).toBeGreaterThanOrEqual(28);
  });

  it('keeps the rows in arm order and grows with the number of arms', () => {
    const o = dosingTimelinePlot(doses, arms, 14 * 24);
    expect((o.fy as { domain: string[] }).domain).toEqual(arms);
    expect(o.height).toBeGreaterThan(dosingTimelinePlot(doses, arms.slice(1), 14 * 24).height!);
  });
});

describe('profilePlot', () => {
  const data = arms.flatMap((arm, a) =>
    Array.from({ length: 50 }, (_, k) => ({ arm, time: k, value: a * Math.exp(-k / 10) }))
  );

  it('draws one line per arm with the unit on the y axis and hours for a short study', () => {
    const svg = render(profilePlot(data, { output: 'C', unit: 'mg/L', arms }));
    expect(svg.textContent).toContain('C (mg/L)');
    expect(svg.textContent).toContain('time (h)');
    expect(svg.querySelectorAll('g[aria-label=line] path').length).toBe(3);
    expect(svg.querySelectorAll('circle').length).toBe(0);
  });

  it('adds a dot per point when asked (observed means) and keeps arm colours in protocol order', () => {
    const o = profilePlot(data, { output: 'E', arms }, { points: true, duration: 12 * 168 });
    expect((o.color as { domain: string[] }).domain).toEqual(arms);
    expect((o.x as { label: string }).label).toBe('time (w)');
    const svg = render(o);
    expect(svg.querySelectorAll('circle').length).toBe(150);
  });

  it('draws a thin line per twin and arm for individual profiles', () => {
    const twins = data.flatMap((d) => [1, 2, 3, 4].map((twin) => ({ ...d, twin, value: d.value * twin })));
    const svg = render(profilePlot(twins, { output: 'C', arms }, { individual: true }));
    const paths = svg.querySelectorAll('g[aria-label=line] path');
    expect(paths.length).toBe(12);
    expect(svg.querySelector('g[aria-label=line]')?.getAttribute('stroke-width')).toBe('0.9');
  });

  it("leaves out a dimensionless unit ('1')", () => {
    expect(axisLabel('E', '1')).toBe('E');
    expect(axisLabel('E', undefined)).toBe('E');
    expect(axisLabel('C', 'mg/L')).toBe('C (mg/L)');
  });
});
