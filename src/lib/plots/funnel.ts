import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { ScreeningSummary } from '../db/cohort-store';

/**
 * The screening funnel: candidates screened, then those remaining after each criterion
 * in order (each candidate counted at the first criterion it failed), then enrolled.
 */
export function funnelSteps(s: ScreeningSummary): { step: string; twins: number }[] {
  const steps = [{ step: 'screened', twins: s.screened }];
  let remaining = s.screened;
  for (const c of s.criteria) {
    remaining -= c.failedFirst;
    steps.push({ step: `meets ${c.label}`, twins: remaining });
  }
  steps.push({ step: 'enrolled', twins: s.enrolled });
  return steps;
}

export function funnelPlot(s: ScreeningSummary, width = 440): PlotOptions {
  const data = funnelSteps(s);
  return {
    width,
    height: 40 + 28 * data.length,
    marginLeft: 150,
    marginRight: 60,
    x: { label: 'candidates', grid: true },
    y: { label: null, domain: data.map((d) => d.step) },
    marks: [
      Plot.barX(data, { y: 'step', x: 'twins', fill: '#61a5c2' }),
      Plot.text(data, {
        y: 'step',
        x: 'twins',
        text: (d: { twins: number }) => String(d.twins),
        dx: 4,
        textAnchor: 'start'
      }),
      Plot.ruleX([0])
    ]
  };
}
