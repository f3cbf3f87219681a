import { rowsOf, sqlIdent, type Connector } from '../db/connector';
import { fileRelation } from '../io/twin-file';
import { CompareInputError } from './compare-errors';
import type { RawArmSource, RoleColumn } from './compare-source';
import type { EndpointType } from './compare-types';

/** Columns of a user's data file (one row per subject) that an arm comparison reads. */
export interface FileColumns {
  arm: string;
  /** the endpoint column (continuous: values, binary: 0/1); for tte only its name */
  endpoint: string;
  baseline?: string;
  /** tte: follow-up time and event indicator (1 = event, 0 = censored) */
  time?: string;
  event?: string;
}

/** The roles an endpoint type needs, with the column each reads; checks the tte columns are named. */
export function roleColumns(type: EndpointType, c: Omit<FileColumns, 'arm'>): Omit<RoleColumn, 'expr'>[] {
  if (type === 'tte') {
    if (!c.time || !c.event) {
      throw new CompareInputError(
        `a time-to-event endpoint needs --time <column> and --event <column> (1 = event, 0 = censored)` +
          `${c.time ? '; --event is missing' : c.event ? '; --time is missing' : ''}`
      );
    }
    return [
      { role: 'time', column: c.time, check: 'nonnegative' },
      { role: 'event', column: c.event, check: 'binary' }
    ];
  }
  const roles: Omit<RoleColumn, 'expr'>[] = [
    { role: 'y', column: c.endpoint, check: type === 'binary' ? 'binary' : 'number' }
  ];
  if (c.baseline) roles.push({ role: 'baseline', column: c.baseline, check: 'number' });
  return roles;
}

/**
 * A CSV or Parquet file as the source of an arm comparison. Every named column must exist
 * (the message lists the file's columns); rows are numbered from 1 in file order, and a CSV's
 * line number (header = line 1) is given with them.
 */
export async function fileArmSource(
  db: Connector,
  path: string,
  type: EndpointType,
  columns: FileColumns
): Promise<RawArmSource> {
  const relation = fileRelation(path);
  let names: string[];
  try {
    names = rowsOf<{ column_name: string }>(await db.query(`DESCRIBE (${relation})`)).map(
      (r) => r.column_name
    );
  } catch (e) {
    throw new CompareInputError(`${path}: cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  const roles = roleColumns(type, columns);
  const wanted: [string, string][] = [
    ['--arm', columns.arm],
    ...roles.map((r): [string, string] => [`--${r.role === 'y' ? 'endpoint' : r.role}`, r.column])
  ];
  for (const [option, name] of wanted) {
    if (!names.includes(name)) {
      throw new CompareInputError(
        `${option}: ${path} has no column '${name}' (columns: ${names.join(', ')})`
      );
    }
  }
  const csv = path.toLowerCase().endsWith('.csv');
  return {
    relation: `SELECT row_number() OVER () AS row_id, * FROM (${relation})`,
    armExpr: sqlIdent(columns.arm),
    armColumn: columns.arm,
    rowLabel: csv ? `'row ' || row_id || ' (line ' || (row_id + 1) || ')'` : `'row ' || row_id`,
    roles: roles.map((r) => ({ ...r, expr: sqlIdent(r.column) })),
    source: { kind: 'file', path },
    counterfactual: null
  };
}
