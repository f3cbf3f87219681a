import { sqlIdent } from '../db/connector';
import { ROW_COLUMN, type FileTable } from '../io/file-table';
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
 * A data file (opened and checked by openFileTable) as the source of an arm comparison.
 * Every named column must exist (the message lists the file's columns); rows are numbered
 * from 1 in file order, with their CSV line where every row is on its own line.
 */
export function fileArmSource(file: FileTable, type: EndpointType, columns: FileColumns): RawArmSource {
  const names = file.columns.map((c) => c.name);
  const roles = roleColumns(type, columns);
  const wanted: [string, string][] = [
    ['--arm', columns.arm],
    ...roles.map((r): [string, string] => [`--${r.role === 'y' ? 'endpoint' : r.role}`, r.column])
  ];
  for (const [option, name] of wanted) {
    if (!names.includes(name)) {
      throw new CompareInputError(
        `${option}: ${file.path} has no column '${name}' (columns: ${names.join(', ')})`
      );
    }
  }
  const row = sqlIdent(ROW_COLUMN);
  return {
    relation: `SELECT ${row} AS row_id, * EXCLUDE (${row}) FROM (${file.numbered})`,
    armExpr: sqlIdent(columns.arm),
    armColumn: columns.arm,
    rowLabel: file.rowLabel('row_id'),
    roles: roles.map((r) => ({ ...r, expr: sqlIdent(r.column) })),
    source: { kind: 'file', path: file.path },
    counterfactual: null
  };
}
