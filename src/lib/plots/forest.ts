import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import {
  RATIO_METHODS,
  type Comparison,
  type ComparisonMethod,
  type ComparisonRow
} from '../analysis/compare-types';
import { METHOD_NAMES } from '../analysis/compare-method-names';

/**
 * Forest plot of each active arm's effect against the control: the estimate as a dot, its
 * confidence interval as a horizontal rule and a dashed reference line at no effect (0 for
 * differences, 1 for ratios, which are drawn on a log axis). The x axis names the effect and
 * its unit.
 */
export const forestDefaults = { width: 480, rowHeight: 34, color: '#2a6f97', marginLeft: 90 };

/** The method a forest plot shows by default: the primary one when it has an estimate. */
export function forestMethod(c: Pick<Comparison, 'type' | 'primary'>): ComparisonMethod {
  if (c.type === 'continuous') return c.primary === 'mann_whitney' ? 'welch_t' : c.primary;
  if (c.type === 'binary') {
    const withEstimate: ComparisonMethod[] = [
      'risk_difference_wald',
      'risk_ratio',
      'odds_ratio_woolf',
      'odds_ratio_haldane',
      'fisher_exact'
    ];
    return withEstimate.includes(c.primary) ? c.primary : 'risk_difference_newcombe';
  }
  return c.primary === 'cox_breslow' ? 'cox_breslow' : 'cox_efron';
}

/** The x-axis label of a method's effect, e.g. "Difference in sbp (mmHg), arm − control". */
export function effectLabel(method: ComparisonMethod, endpoint: string, unit?: string): string {
  const u = unit ? ` (${unit})` : '';
  switch (method) {
    case 'welch_t':
    case 'student_t':
      return `Difference in mean ${endpoint}${u}, arm − control`;
    case 'ancova':
    case 'ancova_pairwise':
      return `Baseline-adjusted difference in ${endpoint}${u}, arm − control`;
    case 'hodges_lehmann':
      return `Hodges–Lehmann shift in ${endpoint}${u}, arm − control`;
    case 'gmr':
      return `Geometric mean ratio of ${endpoint} (arm / control)`;
    case 'risk_difference_wald':
    case 'risk_difference_newcombe':
      return `Risk difference in ${endpoint} (proportion), arm − control`;
    case 'risk_ratio':
      return `Risk ratio of ${endpoint} (arm / control)`;
    case 'odds_ratio_woolf':
    case 'odds_ratio_haldane':
    case 'fisher_exact':
      return `Odds ratio of ${endpoint} (arm / control)`;
    case 'cox_efron':
    case 'cox_breslow':
      return `Hazard ratio of ${endpoint} (arm / control)`;
    default:
      return `${method} of ${endpoint}${u}`;
  }
}

export interface ForestOptions extends Partial<typeof forestDefaults> {
  /** default: forestMethod(comparison) */
  method?: ComparisonMethod;
  /** the endpoint's unit, for the axis label of differences */
  unit?: string;
}

/** Plot options for a forest plot of one method's rows of a comparison. */
export function forestPlot(
  comparison: Pick<Comparison, 'type' | 'primary' | 'endpoint' | 'comparisons' | 'confLevel'>,
  options: ForestOptions = {}
): PlotOptions {
  const o = { ...forestDefaults, ...options };
  const method = options.method ?? forestMethod(comparison);
  const family = (m: ComparisonMethod) => (m.startsWith('odds_ratio') ? 'odds_ratio' : m);
  const rows = comparison.comparisons.filter(
    (r): r is ComparisonRow & { estimate: number } =>
      family(r.method) === family(method) && r.control !== null && r.estimate !== null
  );
  const ratio = RATIO_METHODS.has(method);
  // a ratio of 0 (e.g. no events in an arm) cannot sit on a log axis
  const data = rows
    .filter((r) => !ratio || r.estimate > 0)
    .map((r) => ({
      arm: r.arm,
      estimate: r.estimate,
      ciLow: r.ciLow !== null && (!ratio || r.ciLow > 0) ? r.ciLow : null,
      ciHigh: r.ciHigh
    }));
  const withCi = data.filter((d) => d.ciLow !== null && d.ciHigh !== null);
  const pct = Math.round(comparison.confLevel * 100);
  return {
    width: o.width,
    height: 60 + o.rowHeight * Math.max(1, data.length),
    marginLeft: o.marginLeft,
    x: {
      type: ratio ? 'log' : 'linear',
      label: effectLabel(method, comparison.endpoint, options.unit),
      nice: true,
      // plain decimals on the log axis (its default SI format writes 0.1 as 100m)
      ...(ratio ? { tickFormat: '~g' } : {})
    },
    y: { domain: data.map((d) => d.arm), label: null },
    caption: `${METHOD_NAMES[method]}, estimate with ${pct}% CI`,
    marks: [
      Plot.ruleX([ratio ? 1 : 0], { stroke: '#888', strokeDasharray: '4,3' }),
      Plot.ruleY(withCi, { y: 'arm', x1: 'ciLow', x2: 'ciHigh', stroke: o.color, strokeWidth: 2 }),
      Plot.dot(data, { x: 'estimate', y: 'arm', fill: o.color, r: 4, symbol: 'square' })
    ]
  };
}
