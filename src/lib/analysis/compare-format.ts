import type {
  BinaryArmSummary,
  Comparison,
  ComparisonRow,
  ContinuousArmSummary,
  TteArmSummary
} from './compare-types';

/**
 * A comparison as a readable plain-text report: arm summaries, then every method for each
 * active arm (the primary method marked *, with its adjusted p-value), Dunnett for continuous
 * endpoints, and a footer on the adjustment, excluded missing values and notes.
 */
const ADJUST_NAME = { holm: 'Holm', bonferroni: 'Bonferroni', hochberg: 'Hochberg' } as const;

/** A number with 4 significant digits (integers as they are); null as '—'. */
export function formatNumber(x: number | null): string {
  if (x === null) return '—';
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

export function formatP(p: number | null): string {
  if (p === null) return '—';
  if (p < 1e-4) return '<0.0001';
  return p.toFixed(4);
}

function ci(lo: number | null, hi: number | null): string {
  return lo === null && hi === null ? '—' : `${formatNumber(lo)} to ${formatNumber(hi)}`;
}

/** Columns padded to their widest cell, left-aligned before `rightFrom`, right-aligned from it. */
export function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) =>
    r
      .map((v, j) => (j < rightFrom ? v.padEnd(widths[j]) : v.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function armTable(c: Comparison): string {
  const pct = `${Math.round(c.confLevel * 100)}% CI`;
  if (c.type === 'continuous') {
    const arms = c.arms as ContinuousArmSummary[];
    return table(
      ['arm', 'n', 'missing', 'mean', 'sd', 'se', `${pct} of mean`, 'median', 'q1', 'q3', 'min', 'max'],
      arms.map((a) => [
        a.arm,
        String(a.n),
        String(a.missing),
        formatNumber(a.mean),
        formatNumber(a.sd),
        formatNumber(a.se),
        ci(a.ciLow, a.ciHigh),
        formatNumber(a.median),
        formatNumber(a.q1),
        formatNumber(a.q3),
        formatNumber(a.min),
        formatNumber(a.max)
      ])
    );
  }
  if (c.type === 'binary') {
    const arms = c.arms as BinaryArmSummary[];
    return table(
      ['arm', 'n', 'missing', 'events', 'proportion', `${pct} (Wilson)`],
      arms.map((a) => [
        a.arm,
        String(a.n),
        String(a.missing),
        String(a.events),
        formatNumber(a.proportion),
        ci(a.ciLow, a.ciHigh)
      ])
    );
  }
  const arms = c.arms as TteArmSummary[];
  return table(
    ['arm', 'n', 'missing', 'events', 'median survival', pct],
    arms.map((a) => [
      a.arm,
      String(a.n),
      String(a.missing),
      String(a.events),
      a.median === null ? 'not reached' : formatNumber(a.median),
      ci(a.ciLow, a.ciHigh)
    ])
  );
}

function comparisonTable(c: Comparison, rows: ComparisonRow[]): string {
  const pct = `${Math.round(c.confLevel * 100)}% CI`;
  const family = (m: string) => (m.startsWith('odds_ratio') ? 'odds_ratio' : m);
  return table(
    ['arm', 'method', 'estimate', pct, 'statistic', 'df', 'p', 'p adj'],
    rows.map((r) => [
      r.arm,
      `${r.method}${family(r.method) === family(c.primary) ? ' *' : ''}${r.note ? ' †' : ''}`,
      formatNumber(r.estimate),
      ci(r.ciLow, r.ciHigh),
      formatNumber(r.statistic),
      formatNumber(r.df),
      formatP(r.pValue),
      formatP(r.pAdjusted)
    ]),
    2
  );
}

export function formatComparison(c: Comparison): string {
  const src = c.source.kind === 'file' ? c.source.path : `${c.source.path}, run ${c.source.runId}`;
  const rep =
    c.source.kind === 'run' && c.source.replicate !== null ? `, replicate ${c.source.replicate}` : '';
  const out: string[] = [
    `${c.endpoint} (${c.type}) by arm, control ${c.control} — ${src}${rep}`,
    '',
    armTable(c)
  ];
  const vs = c.comparisons.filter((r) => r.method !== 'km_median');
  out.push('', `Each arm vs ${c.control}`, comparisonTable(c, vs));
  if (c.dunnett?.length) {
    out.push(
      '',
      `Dunnett many-to-one (pooled variance, single-step adjusted)`,
      table(
        ['arm', 'estimate', `${Math.round(c.confLevel * 100)}% simultaneous CI`, 't', 'df', 'p adj'],
        c.dunnett.map((d) => [
          d.arm,
          formatNumber(d.estimate),
          ci(d.ciLow, d.ciHigh),
          formatNumber(d.statistic),
          formatNumber(d.df),
          formatP(d.pAdjusted)
        ])
      )
    );
  }
  if (c.targetAttainment) {
    const t = c.targetAttainment;
    const window =
      t.low === null
        ? `≤ ${formatNumber(t.high)}`
        : t.high === null
          ? `≥ ${formatNumber(t.low)}`
          : `in [${formatNumber(t.low)}, ${formatNumber(t.high)}]`;
    out.push(
      '',
      `Probability of target attainment (${c.endpoint} ${window})`,
      table(
        ['arm', 'attained', 'n', 'proportion', `${Math.round(c.confLevel * 100)}% CI (Wilson)`],
        t.arms.map((a) => [
          a.arm,
          String(a.attained),
          String(a.n),
          formatNumber(a.proportion),
          ci(a.ciLow, a.ciHigh)
        ])
      )
    );
  }
  if (c.factorial) {
    const f = c.factorial;
    out.push(
      '',
      `2×2 factorial interaction (${f.factorA} × ${f.factorB}; lm(y ~ A * B), the A:B coefficient)`,
      table(
        ['arm', f.factorA, f.factorB, 'n', 'mean'],
        f.cells.map((x) => [x.arm, String(x.a), String(x.b), String(x.n), formatNumber(x.mean)])
      ),
      f.note
        ? `interaction: ${f.note}`
        : `interaction ${formatNumber(f.estimate)} (${Math.round(c.confLevel * 100)}% CI ${ci(f.ciLow, f.ciHigh)}), ` +
            `t ${formatNumber(f.statistic)} on ${formatNumber(f.df)} df, p ${formatP(f.pValue)}`
    );
  }
  if (c.counterfactual?.length) {
    out.push(
      '',
      'Per-twin treatment effects (counterfactual run: every twin under every arm)',
      table(
        ['arm', 'twins', 'mean', 'sd', 'median', 'q1', 'q3', '2.5%', '97.5%'],
        c.counterfactual.map((e) => [
          e.arm,
          String(e.n),
          formatNumber(e.mean),
          formatNumber(e.sd),
          formatNumber(e.median),
          formatNumber(e.q1),
          formatNumber(e.q3),
          formatNumber(e.p025),
          formatNumber(e.p975)
        ])
      )
    );
  }
  const ratio = vs.some((r) => /ratio|fisher|cox/.test(r.method));
  const footer = [
    `* primary method; p adj: ${ADJUST_NAME[c.adjust]} adjustment across ${new Set(vs.map((r) => r.arm)).size} arm(s).` +
      (ratio ? ' Ratios (risk_ratio, odds_ratio_*, fisher_exact, cox_*) are arm / control.' : '') +
      (c.type === 'continuous' ? ' Differences are arm − control.' : '') +
      (vs.some((r) => r.method === 'gmr') ? ' gmr: geometric mean ratio arm / control, 90% CI.' : '')
  ];
  if (c.baseline) footer.push(`ANCOVA adjusts for ${c.baseline}; ancova fits all arms in one model.`);
  const missing = c.arms.filter((a) => a.missing > 0);
  if (missing.length || c.missingArm) {
    const parts = missing.map((a) => `${a.arm} ${a.missing}`);
    if (c.missingArm) parts.push(`no arm ${c.missingArm}`);
    footer.push(`Rows with missing values were excluded: ${parts.join(', ')}.`);
  }
  for (const r of c.comparisons) if (r.note) footer.push(`† ${r.arm} ${r.method}: ${r.note}`);
  out.push('', ...footer);
  return out.join('\n');
}
