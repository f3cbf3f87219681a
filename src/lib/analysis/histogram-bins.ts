import { rowsOf, sqlIdent, type Connector } from '../db/connector';
import type { HistogramBins } from '../plots/histogram';

/**
 * Equal-width bins of a column over every row, counted in SQL, so a histogram of a
 * million twins moves 30 numbers to the page, not a million.
 */
export async function histogramBins(
  db: Connector,
  relation: string,
  column: string,
  bins = 30
): Promise<HistogramBins> {
  const c = sqlIdent(column);
  const range = rowsOf<{ lo: number | null; hi: number | null }>(
    await db.query(`SELECT min(${c})::DOUBLE AS lo, max(${c})::DOUBLE AS hi FROM (${relation})`)
  )[0];
  if (range.lo === null || range.hi === null) return { x1: [], x2: [], count: [] };
  const width = range.hi > range.lo ? (range.hi - range.lo) / bins : 1;
  const rows = rowsOf<{ b: number; n: number }>(
    await db.query(
      `SELECT least(floor((${c} - ${range.lo}) / ${width}), ${bins - 1})::DOUBLE AS b, count(*)::DOUBLE AS n ` +
        `FROM (${relation}) WHERE ${c} IS NOT NULL GROUP BY b ORDER BY b`
    )
  );
  const out: HistogramBins = { x1: [], x2: [], count: [] };
  for (const r of rows) {
    out.x1.push(range.lo + r.b * width);
    out.x2.push(range.lo + (r.b + 1) * width);
    out.count.push(r.n);
  }
  return out;
}
