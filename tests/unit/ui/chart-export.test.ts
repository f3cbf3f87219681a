// Chart export: an Observable Plot chart rendered in Node (linkedom) serialised as a
// standalone SVG, styles inlined from a computed-style lookup, and file names from titles.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  chartFileName,
  chartSize,
  chartSvg,
  serializeChart,
  type ComputedStyleOf
} from '../../../src/lib/ui/chart-export';

function render(options: Plot.PlotOptions): Element {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
}

const dots = {
  width: 300,
  height: 200,
  marks: [
    Plot.dot(
      [
        { x: 1, y: 2 },
        { x: 3, y: 5 }
      ],
      { x: 'x', y: 'y' }
    )
  ]
};

describe('serializeChart', () => {
  it('gives a standalone SVG with the SVG namespace, its size and a title', () => {
    const svg = serializeChart(render(dots), { title: 'Doses & <levels>' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('width="300"');
    expect(svg).toContain('height="200"');
    expect(svg).toContain('<title>Doses &amp; &lt;levels&gt;</title>');
    expect(svg.match(/<circle/g)).toHaveLength(2);
    // the markup parses as XML (no HTML-only entities)
    expect(svg).not.toContain('&nbsp;');
    const { DOMParser } = parseHTML('<!doctype html><html></html>');
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelectorAll('circle').length).toBe(2);
  });

  it("takes the chart's own svg out of a figure with a caption and a legend", () => {
    const root = render({
      ...dots,
      caption: 'A caption',
      color: { legend: true, type: 'ordinal', domain: ['a', 'b'] }
    });
    expect(root.tagName.toLowerCase()).toBe('figure');
    const svg = chartSvg(root);
    expect(svg.querySelectorAll('circle').length).toBe(2);
    expect(chartSize(svg)).toEqual({ width: 300, height: 200 });
  });

  it('inlines computed styles: all on the root, on children only where they differ from the parent', () => {
    const styleOf: ComputedStyleOf = (el) => {
      const own: Record<string, string> =
        el.tagName.toLowerCase() === 'circle' ? { fill: 'rgb(1, 2, 3)' } : {};
      const base: Record<string, string> = {
        color: 'rgb(29, 43, 54)',
        fill: 'none',
        'font-family': 'system-ui'
      };
      const style = { ...base, ...own };
      return { getPropertyValue: (p: string) => style[p] ?? '' };
    };
    const svg = serializeChart(render(dots), { styleOf });
    expect(svg).toMatch(/^<svg[^>]*style="color: rgb\(29, 43, 54\); fill: none;[^"]*font-family: system-ui/);
    expect(svg.match(/fill: rgb\(1, 2, 3\)/g)).toHaveLength(2);
    // a <g> with the same values as its parent gets no style of its own
    expect(svg).not.toMatch(/<g[^>]*style="[^"]*font-family/);
  });

  it('refuses an element that holds no chart', () => {
    const { document } = parseHTML('<!doctype html><html><body><div></div></body></html>');
    expect(() => serializeChart(document.querySelector('div') as unknown as Element)).toThrow(/no <svg>/);
  });
});

describe('chartFileName', () => {
  it('makes a file name from the title', () => {
    expect(chartFileName('forest plot of sbp_change_w12', 'svg')).toBe('forest-plot-of-sbp-change-w12.svg');
    expect(chartFileName('Kaplan–Meier curves of OS (weeks)', 'png')).toBe(
      'kaplan-meier-curves-of-os-weeks.png'
    );
    expect(chartFileName('Δ HbA1c — 10 mg/kg', 'png')).toBe('δ-hba1c-10-mg-kg.png');
    expect(chartFileName('../../etc/passwd', 'svg')).toBe('etc-passwd.svg');
    expect(chartFileName('***', 'svg')).toBe('chart.svg');
    expect(chartFileName('x'.repeat(200), 'svg')).toBe(`${'x'.repeat(80)}.svg`);
  });
});
