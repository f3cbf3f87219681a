import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { profileDefaults, profilePlot, timeUnitFor } from './profile';

export const typicalProfileDefaults = {
  width: profileDefaults.width,
  height: profileDefaults.height,
  /** Times of the doses (hours), drawn as dashed rules. */
  doseTimes: [] as readonly number[]
};

/**
 * One output of a model's typical individual over time (the Models page's preview):
 * the profile plot with a single line and no legend, the doses as dashed rules.
 */
export function typicalProfilePlot(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  labels: { output: string; unit?: string },
  options: Partial<typeof typicalProfileDefaults> = {}
): PlotOptions {
  const o = { ...typicalProfileDefaults, ...options };
  const duration = times.length ? times[times.length - 1] : 0;
  const data = Array.from(times, (time, k) => ({ arm: 'typical', time, value: values[k] }));
  const base = profilePlot(
    data,
    { ...labels, arms: ['typical'] },
    { width: o.width, height: o.height, duration }
  );
  const t = timeUnitFor(duration);
  const doses = o.doseTimes.filter((d) => d <= duration).map((d) => d / t.hours);
  return {
    ...base,
    color: { ...base.color, legend: false },
    marks: [
      ...(doses.length ? [Plot.ruleX(doses, { stroke: '#8a99a8', strokeDasharray: '3,3' })] : []),
      ...(base.marks ?? [])
    ]
  };
}
