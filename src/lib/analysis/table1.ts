import { rowsOf, sqlIdent, type Connector } from '../db/connector';

/**
 * "Table 1" of a twin table, computed in SQL: n, mean ± SD, median [IQR] (R's type-7
 * quantiles, which DuckDB's quantile_cont computes) and range for continuous columns,
 * n (%) per level for categorical and binary ones; optionally one column per level of
 * a categorical `by`.
 */
export interface Table1Column {
  name: string;
  kind: 'continuous' | 'categorical' | 'binary' | 'band' | 'derived';
  unit?: string;
  levels?: string[];
}

export interface ContinuousSummary {
  n: number;
  missing: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
}

export interface Table1Row {
  name: string;
  unit?: string;
  kind: 'continuous' | 'categorical';
  /** Continuous: one summary per group. */
  summaries?: ContinuousSummary[];
  /** Categorical: per level, the count in each group. */
  levels?: { level: string; counts: number[] }[];
}

export interface Table1 {
  by?: string;
  /** Group labels ('All' when not split) and sizes. */
  groups: { label: string; n: number }[];
  rows: Table1Row[];
}

/**
 * Two queries whatever the number of columns: one pass over the relation for the group
 * sizes and every continuous column's statistics (the three quantiles from one sort), one
 * for every categorical column's level counts (a UNION ALL over the relation computed once).
 * A query per column made Table 1 of a 200,000-twin run the slowest part of its page.
 */
export async function table1(
  db: Connector,
  relation: string,
  columns: Table1Column[],
  options: { by?: string } = {}
): Promise<Table1> {
  const by = options.by;
  const groupExpr = by ? `CAST(${sqlIdent(by)} AS VARCHAR)` : `'All'`;
  const wanted = columns.filter((c) => c.name !== by);
  const continuous = wanted.filter((c) => c.kind === 'continuous' || c.kind === 'derived');
  const categorical = wanted.filter((c) => !continuous.includes(c));

  const stats = continuous.map((col, i) => {
    const c = sqlIdent(col.name);
    return (
      `count(${c})::DOUBLE AS n_${i}, (count(*) - count(${c}))::DOUBLE AS missing_${i}, ` +
      `avg(${c})::DOUBLE AS mean_${i}, stddev_samp(${c})::DOUBLE AS sd_${i}, ` +
      `quantile_cont(${c}, [0.5, 0.25, 0.75])::DOUBLE[] AS q_${i}, min(${c})::DOUBLE AS min_${i}, max(${c})::DOUBLE AS max_${i}`
    );
  });
  const quantiles = continuous
    .map((_, i) => `, q_${i}[1] AS median_${i}, q_${i}[2] AS q1_${i}, q_${i}[3] AS q3_${i}`)
    .join('');
  const lists = continuous.map((_, i) => `q_${i}`).join(', ');
  const byGroup = rowsOf<Record<string, unknown>>(
    await db.query(
      `SELECT *${lists ? ` EXCLUDE (${lists})` : ''}${quantiles} FROM (` +
        `SELECT ${groupExpr} AS g, count(*)::DOUBLE AS n${stats.map((s) => `, ${s}`).join('')} ` +
        `FROM (${relation}) AS t GROUP BY g) ORDER BY g`
    )
  );
  const groups = byGroup.map((r) => ({ label: (r.g as string | null) ?? '(missing)', n: r.n as number }));
  const index = new Map(groups.map((g, i) => [g.label, i]));

  const rows = new Map<string, Table1Row>();
  continuous.forEach((col, i) => {
    const summaries = byGroup.map((r): ContinuousSummary => {
      const at = (field: string) => r[`${field}_${i}`] as number | null;
      return {
        n: at('n')!,
        missing: at('missing')!,
        mean: at('mean'),
        sd: at('sd'),
        median: at('median'),
        q1: at('q1'),
        q3: at('q3'),
        min: at('min'),
        max: at('max')
      };
    });
    rows.set(col.name, { name: col.name, unit: col.unit, kind: 'continuous', summaries });
  });

  if (categorical.length) {
    const branches = categorical.map((col, i) => {
      const c = sqlIdent(col.name);
      const level =
        col.kind === 'binary' ? `CAST(CAST(${c} AS INTEGER) AS VARCHAR)` : `CAST(${c} AS VARCHAR)`;
      return `SELECT ${i} AS col, g, ${level} AS level, count(*)::DOUBLE AS n FROM t GROUP BY g, level`;
    });
    const counts = rowsOf<{ col: number; g: string | null; level: string | null; n: number }>(
      await db.query(
        `WITH t AS MATERIALIZED (SELECT ${groupExpr} AS g, * FROM (${relation})) ${branches.join(' UNION ALL ')}`
      )
    );
    categorical.forEach((col, i) => {
      const mine = counts.filter((r) => r.col === i);
      const levelNames =
        col.kind === 'binary'
          ? ['1', '0']
          : (col.levels ?? [...new Set(mine.map((r) => r.level ?? '(missing)'))].sort());
      const levels = levelNames.map((level) => ({ level, counts: groups.map(() => 0) }));
      for (const r of mine) {
        const name = r.level ?? '(missing)';
        let entry = levels.find((l) => l.level === name);
        if (!entry) levels.push((entry = { level: name, counts: groups.map(() => 0) }));
        entry.counts[index.get(r.g ?? '(missing)')!] = r.n;
      }
      rows.set(col.name, { name: col.name, kind: 'categorical', levels });
    });
  }
  return { by, groups, rows: wanted.map((c) => rows.get(c.name)!) };
}

/** Significant-figure formatting for tables: enough digits to be read, never NaN. */
export function formatNumber(x: number | null, digits = 3): string {
  if (x === null || !Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  if (abs >= 1000) return x.toFixed(0);
  if (abs === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return x.toFixed(Math.min(decimals, 6));
}

/** The printed cells of a Table 1: one line per continuous row (two: mean ± SD and
 * median [IQR]) and one per category level. */
export function table1Lines(t: Table1): { label: string; cells: string[] }[] {
  const out: { label: string; cells: string[] }[] = [];
  out.push({ label: 'n', cells: t.groups.map((g) => String(g.n)) });
  for (const row of t.rows) {
    const name = row.unit ? `${row.name} (${row.unit})` : row.name;
    if (row.summaries) {
      out.push({
        label: `${name}, mean ± SD`,
        cells: row.summaries.map((s) => `${formatNumber(s.mean)} ± ${formatNumber(s.sd)}`)
      });
      out.push({
        label: `  median [IQR]`,
        cells: row.summaries.map(
          (s) => `${formatNumber(s.median)} [${formatNumber(s.q1)}, ${formatNumber(s.q3)}]`
        )
      });
      const missing = row.summaries.reduce((a, s) => a + s.missing, 0);
      if (missing) out.push({ label: `  missing`, cells: row.summaries.map((s) => String(s.missing)) });
    } else {
      out.push({ label: `${name}, n (%)`, cells: t.groups.map(() => '') });
      for (const l of row.levels ?? []) {
        out.push({
          label: `  ${l.level}`,
          cells: l.counts.map(
            (n, i) => `${n} (${t.groups[i].n ? ((100 * n) / t.groups[i].n).toFixed(1) : '0.0'}%)`
          )
        });
      }
    }
  }
  return out;
}

/** Table 1 as aligned plain text (CLI). */
export function formatTable1(t: Table1): string {
  const lines = table1Lines(t);
  const header = { label: t.by ? `by ${t.by}` : '', cells: t.groups.map((g) => g.label) };
  const all = [header, ...lines];
  const w0 = Math.max(...all.map((l) => l.label.length));
  const widths = t.groups.map((_, i) => Math.max(...all.map((l) => l.cells[i].length)));
  const fmt = (l: { label: string; cells: string[] }) =>
    [l.label.padEnd(w0), ...l.cells.map((c, i) => c.padStart(widths[i]))].join('  ').trimEnd();
  return [fmt(header), '-'.repeat(w0 + widths.reduce((a, w) => a + w + 2, 0)), ...lines.map(fmt)].join('\n');
}
