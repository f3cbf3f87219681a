// Estimate distributions against the true values: pure options that Observable Plot renders in Node.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { OperatingCharacteristic } from '../../../src/lib/analysis/operating-characteristics';
import {
  estimateDistributionData,
  estimateDistributionPlot
} from '../../../src/lib/plots/estimate-distribution';

const oc = (label: string, arm: string, estimand: string, trueValue: number): OperatingCharacteristic => ({
  n: 300,
  analysis: 'mmrm',
  label,
  arm,
  estimand,
  replicates: 100,
  estimable: 100,
  meanEstimate: -0.6,
  trueValue,
  bias: -0.6 - trueValue,
  biasMcse: 0.005,
  empiricalSe: 0.05,
  meanModelSe: 0.05,
  coverage: 0.9,
  rejectionRate: 1,
  quantiles: [-0.7, -0.63, -0.6, -0.57, -0.5]
});

const rows = [
  oc('MMRM', '100 mg', 'treatment_policy', -0.61),
  oc('MMRM', '100 mg', 'hypothetical', -0.8),
  oc('Jump to reference', '100 mg', 'treatment_policy', -0.61),
  oc('Jump to reference', '100 mg', 'hypothetical', -0.8)
];

describe('estimateDistributionPlot', () => {
  it('one distribution per analysis and arm, one true value per estimand and arm', () => {
    const { distributions, truths } = estimateDistributionData(rows);
    expect(distributions.map((d) => [d.analysis, d.arm, d.median])).toEqual([
      ['MMRM', '100 mg', -0.6],
      ['Jump to reference', '100 mg', -0.6]
    ]);
    expect(truths.map((t) => [t.estimand, t.value])).toEqual([
      ['treatment_policy', -0.61],
      ['hypothetical', -0.8]
    ]);
  });

  it('renders with a rule per true value', () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const el = Plot.plot({
      ...estimateDistributionPlot(rows),
      document
    } as Plot.PlotOptions) as unknown as Element;
    expect(el.outerHTML).toContain('Jump to reference');
    expect(el.outerHTML).toContain('stroke-dasharray="4,3"');
  });
});
