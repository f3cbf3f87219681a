import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';

export const scatterDefaults = { width: 420, height: 320, r: 1.6, opacity: 0.5 };

/** A scatter of two covariates, coloured by an optional categorical one. */
export function scatterPlot(
  points: { x: number; y: number; group?: string }[],
  labels: { x: string; y: string; group?: string },
  options: Partial<typeof scatterDefaults> = {}
): PlotOptions {
  const o = { ...scatterDefaults, ...options };
  const grouped = points.some((p) => p.group !== undefined);
  return {
    width: o.width,
    height: o.height,
    marginLeft: 50,
    grid: true,
    x: { label: labels.x },
    y: { label: labels.y },
    color: grouped ? { legend: true, label: labels.group } : undefined,
    marks: [
      Plot.dot(points, {
        x: 'x',
        y: 'y',
        r: o.r,
        fillOpacity: o.opacity,
        fill: grouped ? 'group' : '#2a6f97',
        stroke: null
      })
    ]
  };
}
