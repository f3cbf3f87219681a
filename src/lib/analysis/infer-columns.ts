import { rowsOf, sqlIdent, type Connector } from '../db/connector';
import type { Table1Column } from './table1';

/** Columns that identify rows rather than describe twins. */
const ID_COLUMNS = new Set(['twin_id', 'cohort_id', 'run_id', 'replicate', 'id']);

/**
 * Column kinds of any table, for `describe`: text columns are categorical, numeric
 * columns holding only 0 and 1 are binary, other numeric columns continuous.
 */
export async function inferColumns(db: Connector, relation: string): Promise<Table1Column[]> {
  const described = rowsOf<{ column_name: string; column_type: string }>(
    await db.query(`DESCRIBE (${relation})`)
  );
  const out: Table1Column[] = [];
  for (const { column_name: name, column_type: type } of described) {
    if (ID_COLUMNS.has(name.toLowerCase())) continue;
    if (/INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/.test(type)) {
      const nonBinary = rowsOf<{ k: number }>(
        await db.query(
          `SELECT count(*)::DOUBLE AS k FROM (${relation}) WHERE ${sqlIdent(name)} IS NOT NULL AND ${sqlIdent(name)} NOT IN (0, 1)`
        )
      )[0].k;
      out.push({ name, kind: nonBinary === 0 ? 'binary' : 'continuous' });
    } else if (type === 'BOOLEAN') {
      out.push({ name, kind: 'binary' });
    } else {
      out.push({ name, kind: 'categorical' });
    }
  }
  return out;
}
