import { rowsOf, sqlIdent, sqlString, type Connector } from '../db/connector';
import { CompareInputError } from './compare-errors';
import type { Comparison } from './compare-types';

/**
 * Where an arm comparison reads its rows from, before validation: a SQL relation with a
 * `row_id`, an `arm` and one source column per role (endpoint value, baseline, time, event).
 * `cleanArmSource` checks every value and returns a relation of DOUBLE columns where NULL
 * means missing; files and runs of a .duckdb file (compare-file-source, compare-run-source)
 * both produce one of these.
 */
export type Role = 'y' | 'baseline' | 'time' | 'event';

/** What a role's values must be: any finite number, 0/1, or a number ≥ 0. */
export type RoleCheck = 'number' | 'binary' | 'nonnegative';

export interface RoleColumn {
  role: Role;
  /** the column as the user named it (for messages) */
  column: string;
  /** SQL expression over `relation` reading the raw value */
  expr: string;
  check: RoleCheck;
  /** SQL applied to the validated DOUBLE value (e.g. event = 1 − censored) */
  transform?: (value: string) => string;
}

export interface RawArmSource {
  /** SQL relation with at least `row_id` and the columns the expressions below use */
  relation: string;
  /** SQL expression for the arm level (cast to VARCHAR) */
  armExpr: string;
  /** the arm column's name, for messages */
  armColumn: string;
  /** SQL expression (VARCHAR) naming a row in messages, e.g. 'row 3 (line 4)' */
  rowLabel: string;
  roles: RoleColumn[];
  source: Comparison['source'];
  /**
   * Counterfactual runs: a relation (twin_key, arm, y) holding every twin under every arm,
   * for the per-twin treatment effects; null otherwise.
   */
  counterfactual: string | null;
}

export interface CleanArmSource {
  /** row_id, arm (VARCHAR, NULL = missing) and one DOUBLE column per role (NULL = missing) */
  relation: string;
  roles: Role[];
  /** SQL predicate: every role of the row has a value */
  complete: string;
  source: Comparison['source'];
  counterfactual: string | null;
}

/** Text that counts as a missing value in a text column (besides an empty cell). */
const MISSING_TEXT = ['', 'na', 'n/a', 'nan', 'null', '.'];

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;

const CHECK_TEXT: Record<RoleCheck, string> = {
  number: 'which is not a finite number',
  binary: 'which is not 0 or 1',
  nonnegative: 'which is not a number ≥ 0'
};

/**
 * Validates every role's values in SQL (the first bad row of each column is reported by name
 * and row) and returns the clean relation. Numeric columns are read as DOUBLE directly; text
 * columns (a CSV column with a stray word) are parsed, with empty/NA cells taken as missing.
 */
export async function cleanArmSource(db: Connector, raw: RawArmSource): Promise<CleanArmSource> {
  const types = rowsOf<{ column_name: string; column_type: string }>(
    await db.query(
      `DESCRIBE (SELECT ${raw.roles.map((r, i) => `${r.expr} AS c${i}`).join(', ')} FROM (${raw.relation}))`
    )
  );
  const parts = raw.roles.map((r, i) => {
    const numeric = NUMERIC_TYPE.test(types[i].column_type);
    const text = `CAST(${r.expr} AS VARCHAR)`;
    const missing = numeric
      ? `(${r.expr}) IS NULL`
      : `(${r.expr}) IS NULL OR lower(trim(${text})) IN (${MISSING_TEXT.map(sqlString).join(', ')})`;
    const value = numeric ? `CAST(${r.expr} AS DOUBLE)` : `TRY_CAST(trim(${text}) AS DOUBLE)`;
    const range =
      r.check === 'binary'
        ? ` OR ${value} NOT IN (0, 1)`
        : r.check === 'nonnegative'
          ? ` OR ${value} < 0`
          : '';
    const bad = `NOT (${missing}) AND (${value} IS NULL OR NOT isfinite(${value})${range})`;
    return { r, missing, value, bad, text };
  });
  const checks = rowsOf<Record<string, string | number | null>>(
    await db.query(
      `SELECT ${parts
        .map(
          (p, i) =>
            `min(row_id) FILTER (WHERE ${p.bad})::DOUBLE AS bad${i}, ` +
            `arg_min(${p.text}, row_id) FILTER (WHERE ${p.bad}) AS val${i}, ` +
            `arg_min(${raw.rowLabel}, row_id) FILTER (WHERE ${p.bad}) AS at${i}`
        )
        .join(', ')} FROM (${raw.relation})`
    )
  )[0];
  parts.forEach((p, i) => {
    if (checks[`bad${i}`] !== null) {
      throw new CompareInputError(
        `column '${p.r.column}' holds '${checks[`val${i}`]}' at ${checks[`at${i}`]}, ${CHECK_TEXT[p.r.check]}`
      );
    }
  });
  const select = parts.map((p) => {
    const v = `CASE WHEN ${p.missing} THEN NULL ELSE ${p.value} END`;
    return `${p.r.transform ? p.r.transform(`(${v})`) : v} AS ${sqlIdent(p.r.role)}`;
  });
  const relation =
    `SELECT row_id, NULLIF(CAST(${raw.armExpr} AS VARCHAR), '') AS arm, ${select.join(', ')} ` +
    `FROM (${raw.relation})`;
  return {
    relation,
    roles: raw.roles.map((r) => r.role),
    complete: raw.roles.map((r) => `${sqlIdent(r.role)} IS NOT NULL`).join(' AND '),
    source: raw.source,
    counterfactual: raw.counterfactual
  };
}
