/**
 * Charts out of the page: an Observable Plot chart serialised as a standalone SVG file (its
 * computed styles inlined, so it looks the same outside the page's stylesheet), rasterised to
 * PNG at twice its size, and file names made from the chart's title. The serialisation is
 * pure DOM work, so the HTML report renders its charts with it in Node (linkedom) as well.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The presentation properties that the page's stylesheet (and Plot's own <style>, scoped by
 * a class the standalone file keeps) can set: inlined where they differ from the parent's.
 */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant',
  'text-anchor',
  'dominant-baseline',
  'paint-order'
] as const;

/** A computed style lookup; the browser's window.getComputedStyle, or none in Node. */
export type ComputedStyleOf = (element: Element) => Pick<CSSStyleDeclaration, 'getPropertyValue'>;

/** The chart's own SVG: the root itself, or the last <svg> child of Plot's <figure> (legends come first). */
export function chartSvg(root: Element): SVGSVGElement {
  if (root.tagName.toLowerCase() === 'svg') return root as SVGSVGElement;
  const all = [...root.querySelectorAll('svg')].filter((s) => !s.parentElement?.closest('svg'));
  const svg = all.at(-1);
  if (!svg) throw new Error('chart export: the chart has no <svg> element');
  return svg;
}

/** The chart's width and height in CSS pixels (from its attributes, else its viewBox). */
export function chartSize(svg: Element): { width: number; height: number } {
  const viewBox = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const width = Number(svg.getAttribute('width')) || viewBox[2] || 640;
  const height = Number(svg.getAttribute('height')) || viewBox[3] || 400;
  return { width, height };
}

/**
 * A standalone SVG document of the chart: the SVG namespace declared, its size set, and (given
 * `styleOf`, i.e. in the browser) every element's computed presentation styles inlined where
 * they differ from its parent's, the root's colour and font included, so `currentColor` and
 * inherited fonts resolve as they did on the page. `title` becomes the SVG's <title>.
 */
export function serializeChart(
  root: Element,
  options: { title?: string; styleOf?: ComputedStyleOf } = {}
): string {
  const svg = chartSvg(root);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  const { width, height } = chartSize(svg);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (options.styleOf) inlineStyles(svg, clone, options.styleOf);
  if (options.title && !clone.querySelector(':scope > title')) {
    const title = clone.ownerDocument.createElementNS(SVG_NS, 'title');
    title.textContent = options.title;
    clone.insertBefore(title, clone.firstChild);
  }
  const Serializer = (globalThis as { XMLSerializer?: typeof XMLSerializer }).XMLSerializer;
  // linkedom has no XMLSerializer: its HTML serialisation is XML but for named entities
  const xml = Serializer ? new Serializer().serializeToString(clone) : clone.outerHTML;
  return xml.replaceAll('&nbsp;', '&#160;');
}

function inlineStyles(source: Element, target: Element, styleOf: ComputedStyleOf): void {
  const rootStyle = styleOf(source);
  const declarations = [`color: ${rootStyle.getPropertyValue('color')}`];
  for (const p of STYLE_PROPERTIES) declarations.push(`${p}: ${rootStyle.getPropertyValue(p)}`);
  target.setAttribute('style', `${declarations.join('; ')}; ${target.getAttribute('style') ?? ''}`);
  walk(source, target, rootStyle, styleOf);
}

function walk(
  source: Element,
  target: Element,
  parent: Pick<CSSStyleDeclaration, 'getPropertyValue'>,
  styleOf: ComputedStyleOf
): void {
  const sources = source.children;
  const targets = target.children;
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i];
    const t = targets[i];
    if (s.tagName.toLowerCase() === 'style') continue;
    const style = styleOf(s);
    const own: string[] = [];
    for (const p of STYLE_PROPERTIES) {
      const value = style.getPropertyValue(p);
      if (value && value !== parent.getPropertyValue(p)) own.push(`${p}: ${value}`);
    }
    if (own.length) t.setAttribute('style', `${own.join('; ')}; ${t.getAttribute('style') ?? ''}`);
    walk(s, t, style, styleOf);
  }
}

/**
 * A file name from a chart's title: lower case, words joined by hyphens, letters and digits of
 * any script kept, at most 80 characters; 'chart' when nothing is left.
 */
export function chartFileName(title: string, extension: 'svg' | 'png'): string {
  const stem = title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${stem || 'chart'}.${extension}`;
}

/**
 * The chart as a PNG at `scale` times its CSS size (browser only): the standalone SVG drawn
 * on an offscreen canvas over a white background (Plot's own background is transparent).
 */
export async function chartPng(
  svgText: string,
  size: { width: number; height: number },
  scale = 2
): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.width = size.width;
    image.height = size.height;
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('chart export: the SVG could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(size.width * scale);
    canvas.height = Math.round(size.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('chart export: this browser gives no 2D canvas');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('chart export: PNG encoding failed'))),
        'image/png'
      )
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
