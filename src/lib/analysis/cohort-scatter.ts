import { rowsOf, sqlIdent, type Connector } from '../db/connector';

export interface ScatterPoint {
  x: number;
  y: number;
  group?: string;
}

/**
 * Two numeric columns of the first `limit` twins of a relation (and a third, as text, to
 * colour them by). Twin ids are exchangeable, so the first twins are a fair sample.
 */
export async function cohortScatter(
  db: Connector,
  relation: string,
  x: string,
  y: string,
  options: { group?: string; limit: number }
): Promise<ScatterPoint[]> {
  const group = options.group ? `, CAST(${sqlIdent(options.group)} AS VARCHAR) AS g` : '';
  const rows = rowsOf<{ x: number; y: number; g?: string }>(
    await db.query(
      `SELECT ${sqlIdent(x)}::DOUBLE AS x, ${sqlIdent(y)}::DOUBLE AS y${group} FROM (${relation}) t ` +
        `WHERE twin_id <= ${Math.floor(options.limit)} ORDER BY twin_id`
    )
  );
  return rows.map((r) => ({ x: r.x, y: r.y, group: r.g }));
}
