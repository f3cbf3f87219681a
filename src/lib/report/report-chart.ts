import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { chartSvg } from '../ui/chart-export';

/**
 * A chart's inline <svg> markup for the HTML report: Observable Plot renders the library's
 * options into `document` (the page's in the browser, linkedom's in Node) and the chart's own
 * <svg> (Plot's scoped <style> inside it) is kept; the report's figure gives title and caption.
 */
export function reportChartSvg(options: PlotOptions, document: Document): string {
  const root = Plot.plot({ ...options, document } as PlotOptions) as unknown as Element;
  const svg = chartSvg(root);
  svg.removeAttribute('xmlns');
  // an HTML serialiser names U+00A0 &nbsp;: kept numeric so the markup is also valid XML
  return svg.outerHTML.replaceAll('&nbsp;', '&#160;');
}
