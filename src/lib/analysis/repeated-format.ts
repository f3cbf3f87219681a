import { formatNumber, formatP, table } from './compare-format';
import type { RepeatedFileAnalysis } from './repeated-file';

/**
 * A repeated-measures analysis as a readable report: subjects observed per arm and visit, then
 * one row per method and active arm (estimate, SE, CI, df, p), the tipping points, and the notes
 * of methods that could not be computed.
 */
export function formatRepeated(r: RepeatedFileAnalysis): string {
  const pct = `${Math.round(r.confLevel * 100)}% CI`;
  const counts = table(
    ['arm', 'subjects', ...r.visits.map((v) => `n ${v}`)],
    r.counts.map((c) => [c.arm, String(c.subjects), ...c.observed.map(String)])
  );
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const m of Object.values(r.analyses)) {
    if (m.note) notes.push(`${m.method}: ${m.note}`);
    if (m.fallbackReason) notes.push(`${m.method}: ${m.fallbackReason}`);
    for (const e of m.effects) {
      rows.push([
        m.label,
        m.method,
        e.arm,
        formatNumber(e.estimate),
        formatNumber(e.stdErr),
        e.ciLow === null ? '—' : `${formatNumber(e.ciLow)} to ${formatNumber(e.ciHigh)}`,
        formatNumber(e.df),
        formatP(e.pValue)
      ]);
    }
  }
  const lines = [
    `${r.endpoint} at visit ${r.at}, each arm vs ${r.control}` +
      (r.baseline ? `, adjusted for ${r.baseline}` : '') +
      ` (${r.source.path})`,
    '',
    counts,
    '',
    table(['analysis', 'field', 'arm', 'estimate', 'SE', pct, 'df', 'p'], rows, 3)
  ];
  for (const t of r.analyses.tipping_point?.tipping ?? []) {
    lines.push(
      '',
      t.tippingDelta === null
        ? `tipping point, ${t.arm}: still significant at every shift tried (up to ${formatNumber(t.grid[t.grid.length - 1].delta)})`
        : `tipping point, ${t.arm}: significance is lost when its ${t.shifted} imputed values at ${r.at} are shifted by ${formatNumber(t.tippingDelta)}`
    );
  }
  if (notes.length) lines.push('', ...notes.map((n) => `note: ${n}`));
  lines.push(
    '',
    `multiple imputation: ${r.imputations} imputations, seed ${r.seed}, the all-arms ANCOVA at ${r.at} pooled by Rubin's rules; LOCF, BOCF and completers are legacy analyses shown for comparison`
  );
  return lines.join('\n');
}
