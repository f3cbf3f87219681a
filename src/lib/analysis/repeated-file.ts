import { rowsOf, sqlIdent, type Connector } from '../db/connector';
import { openFileTable, ROW_COLUMN, type FileTable } from '../io/file-table';
import type { MmrmInput } from '../stats/mmrmData';
import { CompareInputError } from './compare-errors';
import { fileArmSource } from './compare-file-source';
import { cleanArmSource } from './compare-source';
import { repeatedAnalysis, type RepeatedAnalysis, type RepeatedAnalysisOptions } from './repeated-analysis';

/**
 * Repeated measures from a user's data file in long format (one row per subject and visit) and
 * their analysis (`twinbench analyze --type repeated`). Every value is checked here, in SQL, so a
 * problem is named by the file's row and line: the outcome and baseline must be numbers (empty
 * or NA is missing), the subject, visit and arm must be given, a subject stays in one arm, has
 * at most one row per visit and one baseline (given on any of its rows).
 */
export interface RepeatedColumns {
  arm: string;
  /** the outcome column */
  endpoint: string;
  /** the subject column */
  id: string;
  visit: string;
  baseline?: string;
}

export interface RepeatedFileAnalysis extends RepeatedAnalysis {
  endpoint: string;
  /** the baseline column, null without one */
  baseline: string | null;
  source: { kind: 'file'; path: string };
}

/** Reads and checks the repeated measures of an opened file; see the file comment. */
export async function readRepeatedFile(
  db: Connector,
  file: FileTable,
  columns: RepeatedColumns
): Promise<MmrmInput> {
  const names = file.columns.map((c) => c.name);
  for (const [option, name] of [
    ['--id', columns.id],
    ['--visit', columns.visit]
  ]) {
    if (!names.includes(name))
      throw new CompareInputError(
        `${option}: ${file.path} has no column '${name}' (columns: ${names.join(', ')})`
      );
  }
  const raw = fileArmSource(file, 'continuous', columns);
  const clean = await cleanArmSource(db, raw);
  const row = sqlIdent(ROW_COLUMN);
  const text = (c: string) => `NULLIF(trim(CAST(${sqlIdent(c)} AS VARCHAR)), '')`;
  const rows = `SELECT c.*, ${text(columns.id)} AS id, ${text(columns.visit)} AS visit, ${file.rowLabel('c.row_id')} AS place
    FROM (${clean.relation}) c JOIN (${file.numbered}) f ON c.row_id = f.${row}`;
  const hasBaseline = columns.baseline !== undefined;
  for (const [name, column] of [
    ['id', columns.id],
    ['visit', columns.visit],
    ['arm', columns.arm]
  ]) {
    const empty = rowsOf<{ place: string }>(
      await db.query(`SELECT place FROM (${rows}) WHERE ${name} IS NULL ORDER BY row_id LIMIT 1`)
    );
    if (empty.length)
      throw new CompareInputError(
        `column '${column}' is empty at ${empty[0].place}; every row needs its ${name}`
      );
  }
  const twoArms = rowsOf<{ id: string; a: string; b: string; place: string }>(
    await db.query(
      `SELECT id, min(arm) AS a, max(arm) AS b, arg_max(place, row_id) AS place FROM (${rows})
       GROUP BY id HAVING count(DISTINCT arm) > 1 ORDER BY min(row_id) LIMIT 1`
    )
  );
  if (twoArms.length) {
    const t = twoArms[0];
    throw new CompareInputError(
      `subject '${t.id}' (column '${columns.id}') is in arm '${t.a}' and in arm '${t.b}' (${t.place}); a subject stays in one arm`
    );
  }
  const twice = rowsOf<{ id: string; visit: string; first: string; second: string }>(
    await db.query(
      `SELECT id, visit, arg_min(place, row_id) AS first, arg_max(place, row_id) AS second FROM (${rows})
       GROUP BY id, visit HAVING count(*) > 1 ORDER BY min(row_id) LIMIT 1`
    )
  );
  if (twice.length) {
    const t = twice[0];
    throw new CompareInputError(
      `subject '${t.id}' has two rows at visit '${t.visit}' (column '${columns.visit}'): ${t.first} and ${t.second}`
    );
  }
  if (hasBaseline) {
    const bad = rowsOf<{ id: string; lo: number | null; hi: number | null; place: string }>(
      await db.query(
        `SELECT id, min(baseline) AS lo, max(baseline) AS hi, arg_min(place, row_id) AS place FROM (${rows})
         GROUP BY id HAVING min(baseline) IS NULL OR min(baseline) <> max(baseline) ORDER BY min(row_id) LIMIT 1`
      )
    );
    if (bad.length) {
      const b = bad[0];
      throw new CompareInputError(
        b.lo === null
          ? `subject '${b.id}' has no value in column '${columns.baseline}' (from ${b.place}); every subject needs its baseline`
          : `subject '${b.id}' has two baselines in column '${columns.baseline}', ${b.lo} and ${b.hi}; it must be one value per subject`
      );
    }
  }
  const data = rowsOf<{ id: string; visit: string; arm: string; y: number | null; b: number | null }>(
    await db.query(
      `SELECT id, visit, arm, y, ${hasBaseline ? 'max(baseline) OVER (PARTITION BY id)' : 'NULL'} AS b
       FROM (${rows}) ORDER BY row_id`
    )
  );
  return {
    outcome: Float64Array.from(data, (r) => r.y ?? NaN),
    subject: data.map((r) => r.id),
    visit: data.map((r) => r.visit),
    arm: data.map((r) => r.arm),
    baseline: hasBaseline ? Float64Array.from(data, (r) => r.b as number) : undefined
  };
}

/** Opens a CSV or Parquet file through `db` and runs every repeated-measures analysis on it. */
export async function analyzeRepeatedFile(
  db: Connector,
  path: string,
  columns: RepeatedColumns,
  options: RepeatedAnalysisOptions
): Promise<RepeatedFileAnalysis> {
  const file = await openFileTable(db, path);
  try {
    const input = await readRepeatedFile(db, file, columns);
    return {
      endpoint: columns.endpoint,
      baseline: columns.baseline ?? null,
      ...repeatedAnalysis(input, options),
      source: { kind: 'file', path }
    };
  } finally {
    await file.drop();
  }
}
