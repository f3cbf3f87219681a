import { formatNumber, table } from './compare-format';
import type { OperatingCharacteristic } from './operating-characteristics';

/** An analysis's label without its details in brackets: "MMRM (unstructured, …)" → "MMRM". */
export function analysisShortName(label: string): string {
  return label.replace(/ \(.*\)$/, '');
}

/** Where the true values come from, in words. */
export function truthSource(truthTwins: number | null): string {
  return truthTwins === null
    ? 'every twin of every replicate under every arm'
    : `the first ${truthTwins} twins of each replicate under every arm`;
}

/**
 * The operating characteristics of a power study as a readable table: per sample size,
 * analysis, arm and estimand, the mean estimate, true value, bias (Monte Carlo SE), empirical
 * and mean model SE, coverage and the rejection rate (power, or type I error under the null).
 */
export function formatOperating(
  operating: readonly OperatingCharacteristic[],
  o: { alpha: number; imputations: number; truthTwins: number | null; nullScenario: boolean }
): string {
  const { alpha } = o;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  const rows = operating.map((o) => [
    String(o.n),
    o.label,
    o.arm,
    o.estimand ?? '—',
    `${o.estimable}/${o.replicates}`,
    formatNumber(o.meanEstimate),
    formatNumber(o.trueValue),
    o.bias === null ? '—' : `${formatNumber(o.bias)} (${formatNumber(o.biasMcse)})`,
    formatNumber(o.empiricalSe),
    formatNumber(o.meanModelSe),
    pct(o.coverage),
    pct(o.rejectionRate)
  ]);
  return [
    `operating characteristics of each analysis (${o.imputations} imputations for multiple imputation), against the true value of each estimand (${truthSource(o.truthTwins)}):`,
    table(
      [
        'n',
        'analysis',
        'arm',
        'estimand',
        'estimable',
        'mean estimate',
        'true value',
        'bias (MC SE)',
        'empirical SE',
        'model SE',
        'coverage',
        o.nullScenario ? `type I error (p < ${alpha})` : `power (p < ${alpha})`
      ],
      rows,
      4
    )
  ].join('\n');
}
