import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { chartSvg } from '../ui/chart-export';

/**
 * A chart's inline markup for the HTML report: Observable Plot renders the library's options
 * into `document` (the page's in the browser, linkedom's in Node); its <svg> (Plot's scoped
 * <style> inside) is kept with its legend, if any (Plot then wraps both in a <figure>).
 */
export function reportChartSvg(options: PlotOptions, document: Document): string {
  const root = Plot.plot({ ...options, document } as PlotOptions) as unknown as Element;
  chartSvg(root).removeAttribute('xmlns');
  return root.outerHTML;
}
