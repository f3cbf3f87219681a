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

export async function table1(
  db: Connector,
  relation: string,
  columns: Table1Column[],
  options: { by?: string } = {}
): Promise<Table1> {
  const by = options.by;
  const from = `(${relation}) AS t`;
  const groupExpr = by ? `CAST(${sqlIdent(by)} AS VARCHAR)` : `'All'`;
  const groups = rowsOf<{ g: string; n: number }>(
    await db.query(`SELECT ${groupExpr} AS g, count(*)::DOUBLE AS n FROM ${from} GROUP BY g ORDER BY g`)
  ).map((r) => ({ label: r.g ?? '(missing)', n: r.n }));
  const index = new Map(groups.map((g, i) => [g.label, i]));

  const rows: Table1Row[] = [];
  for (const col of columns) {
    if (col.name === by) continue;
    const c = sqlIdent(col.name);
    if (col.kind === 'continuous' || col.kind === 'derived') {
      const stats = rowsOf<Record<string, number | null> & { g: string }>(
        await db.query(
          `SELECT ${groupExpr} AS g, count(${c})::DOUBLE AS n, (count(*) - count(${c}))::DOUBLE AS missing, ` +
            `avg(${c})::DOUBLE AS mean, stddev_samp(${c})::DOUBLE AS sd, ` +
            `quantile_cont(${c}, 0.5)::DOUBLE AS median, quantile_cont(${c}, 0.25)::DOUBLE AS q1, ` +
            `quantile_cont(${c}, 0.75)::DOUBLE AS q3, min(${c})::DOUBLE AS min, max(${c})::DOUBLE AS max ` +
            `FROM ${from} GROUP BY g`
        )
      );
      const summaries: ContinuousSummary[] = groups.map(() => emptySummary());
      for (const s of stats) {
        const { g, ...rest } = s;
        summaries[index.get(g ?? '(missing)')!] = rest as unknown as ContinuousSummary;
      }
      rows.push({ name: col.name, unit: col.unit, kind: 'continuous', summaries });
    } else {
      const levelExpr =
        col.kind === 'binary' ? `CAST(CAST(${c} AS INTEGER) AS VARCHAR)` : `CAST(${c} AS VARCHAR)`;
      const counts = rowsOf<{ g: string; level: string | null; n: number }>(
        await db.query(
          `SELECT ${groupExpr} AS g, ${levelExpr} AS level, count(*)::DOUBLE AS n FROM ${from} GROUP BY g, level`
        )
      );
      const levelNames =
        col.kind === 'binary'
          ? ['1', '0']
          : (col.levels ?? [...new Set(counts.map((r) => r.level ?? '(missing)'))].sort());
      const levels = levelNames.map((level) => ({ level, counts: groups.map(() => 0) }));
      for (const r of counts) {
        const name = r.level ?? '(missing)';
        let entry = levels.find((l) => l.level === name);
        if (!entry) levels.push((entry = { level: name, counts: groups.map(() => 0) }));
        entry.counts[index.get(r.g ?? '(missing)')!] = r.n;
      }
      rows.push({ name: col.name, kind: 'categorical', levels });
    }
  }
  return { by, groups, rows };
}

function emptySummary(): ContinuousSummary {
  return { n: 0, missing: 0, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null };
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
