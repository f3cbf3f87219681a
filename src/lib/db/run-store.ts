import { nextId } from './next-id';
import { Float64, List, makeVector, Table, Vector } from 'apache-arrow';
import type { TrialChunk } from '../engine/trial';
import { EVENT_DISCONTINUATION, EVENT_KINDS } from '../engine/trial/event-kinds';
import { APP_VERSION } from '../version';
import { doubleLists } from './arrow-columns';
import { deleteCohortSql } from './cohort-store';
import { execEach, rowsOf, scalar, sqlString, type Connector } from './connector';
import { ensureSchema, ensureWriterColumns, writerValues } from './schema';

/**
 * Trial runs in DuckDB: the run row (resolved protocol, seed, status, timings) and its
 * results. Chunks are appended straight into `*_data` tables that hold arms, variables
 * and endpoints as small-integer codes (a memcpy per column, no copy at the end); the
 * tables users query — assignment, observation, event, endpoint — are views that name
 * the codes and show complete runs only. A failed or cancelled run's rows are deleted,
 * so only a complete run ever has visible rows.
 */
export const RUN_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS run (
  run_id INTEGER NOT NULL, name VARCHAR NOT NULL, cohort_id INTEGER, protocol VARCHAR NOT NULL,
  seed BIGINT NOT NULL, replicates INTEGER NOT NULL, n_twins INTEGER NOT NULL, design VARCHAR NOT NULL,
  arms VARCHAR NOT NULL, endpoints VARCHAR NOT NULL, primary_endpoint VARCHAR,
  status VARCHAR NOT NULL, error VARCHAR, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
  seconds DOUBLE, app_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS run_name (run_id INTEGER, kind VARCHAR, code SMALLINT, name VARCHAR);
CREATE TABLE IF NOT EXISTS assignment_data (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm SMALLINT, stratum INTEGER);
CREATE TABLE IF NOT EXISTS observation_data (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm SMALLINT, variable SMALLINT, time_h DOUBLE, value DOUBLE);
CREATE TABLE IF NOT EXISTS profile_data (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm SMALLINT, variable SMALLINT, t0 DOUBLE, value DOUBLE[]);
CREATE TABLE IF NOT EXISTS profile_grid (run_id INTEGER, time_h DOUBLE[]);
CREATE TABLE IF NOT EXISTS event_data (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm SMALLINT, kind SMALLINT, endpoint SMALLINT, time_h DOUBLE);
CREATE TABLE IF NOT EXISTS endpoint_data (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm SMALLINT, endpoint SMALLINT, value DOUBLE, censored TINYINT);
CREATE TABLE IF NOT EXISTS estimand_truth (run_id INTEGER, replicate INTEGER, endpoint VARCHAR, estimand VARCHAR, arm VARCHAR, value DOUBLE, n INTEGER);
CREATE OR REPLACE VIEW complete_run AS SELECT run_id FROM run WHERE status = 'complete';
CREATE OR REPLACE VIEW assignment AS
  SELECT d.run_id, d.replicate, d.twin_id, a.name AS arm, d.stratum
  FROM assignment_data d SEMI JOIN complete_run USING (run_id)
  JOIN run_name a ON a.run_id = d.run_id AND a.kind = 'arm' AND a.code = d.arm;
CREATE OR REPLACE VIEW observation AS
  SELECT d.run_id, d.replicate, d.twin_id, a.name AS arm, v.name AS variable, d.time_h, d.value
  FROM observation_data d SEMI JOIN complete_run USING (run_id)
  JOIN run_name a ON a.run_id = d.run_id AND a.kind = 'arm' AND a.code = d.arm
  JOIN run_name v ON v.run_id = d.run_id AND v.kind = 'variable' AND v.code = d.variable
UNION ALL
  SELECT d.run_id, d.replicate, d.twin_id, a.name AS arm, v.name AS variable, d.t0 + d.time_h AS time_h, d.value
  FROM (
    SELECT p.run_id, p.replicate, p.twin_id, p.arm, p.variable, p.t0,
           unnest(g.time_h[1:len(p.value)]) AS time_h, unnest(p.value) AS value
    FROM profile_data p SEMI JOIN complete_run USING (run_id) JOIN profile_grid g USING (run_id)
  ) d
  JOIN run_name a ON a.run_id = d.run_id AND a.kind = 'arm' AND a.code = d.arm
  JOIN run_name v ON v.run_id = d.run_id AND v.kind = 'variable' AND v.code = d.variable;
CREATE OR REPLACE VIEW event AS
  SELECT d.run_id, d.replicate, d.twin_id, a.name AS arm, k.name AS kind, e.name AS endpoint, d.time_h
  FROM event_data d SEMI JOIN complete_run USING (run_id)
  JOIN run_name a ON a.run_id = d.run_id AND a.kind = 'arm' AND a.code = d.arm
  JOIN run_name k ON k.run_id = d.run_id AND k.kind = 'event' AND k.code = d.kind
  LEFT JOIN run_name e ON e.run_id = d.run_id AND e.code = d.endpoint
    AND e.kind = CASE WHEN d.kind = ${EVENT_DISCONTINUATION} THEN 'reason' ELSE 'endpoint' END;
CREATE OR REPLACE VIEW endpoint AS
  SELECT d.run_id, d.replicate, d.twin_id, a.name AS arm, e.name AS endpoint,
         CASE WHEN isnan(d.value) THEN NULL ELSE d.value END AS value, d.censored
  FROM endpoint_data d SEMI JOIN complete_run USING (run_id)
  JOIN run_name a ON a.run_id = d.run_id AND a.kind = 'arm' AND a.code = d.arm
  JOIN run_name e ON e.run_id = d.run_id AND e.kind = 'endpoint' AND e.code = d.endpoint;
`;

export interface RunRecord {
  runId: number;
  name: string;
  cohortId: number | null;
  protocol: unknown;
  seed: number;
  replicates: number;
  nTwins: number;
  design: string;
  arms: string[];
  endpoints: string[];
  primaryEndpoint: string | null;
  status: 'running' | 'complete' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  startedAt: string;
  seconds: number | null;
  /** the user's own name for the run and notes about it (editable on its results page) */
  label: string | null;
  notes: string | null;
}

/** Every table holding a run's rows (by run_id). */
export const RUN_DATA_TABLES = [
  'assignment_data',
  'observation_data',
  'profile_data',
  'profile_grid',
  'event_data',
  'endpoint_data',
  'estimand_truth'
] as const;

export async function ensureRunSchema(db: Connector): Promise<void> {
  await ensureSchema(db);
  await db.exec(RUN_SCHEMA_SQL);
  await ensureWriterColumns(db, 'run');
  // Added after the first release: a workspace made before gains them when opened.
  await db.exec(
    `ALTER TABLE run ADD COLUMN IF NOT EXISTS label VARCHAR; ALTER TABLE run ADD COLUMN IF NOT EXISTS notes VARCHAR;`
  );
}

/** Sets a run's label and notes (blank text stored as NULL). */
export async function setRunNotes(
  db: Connector,
  runId: number,
  text: { label: string | null; notes: string | null }
): Promise<void> {
  const value = (t: string | null) => (t === null || t.trim() === '' ? 'NULL' : sqlString(t.trim()));
  await ensureRunSchema(db);
  await db.exec(
    `UPDATE run SET label = ${value(text.label)}, notes = ${value(text.notes)} WHERE run_id = ${Math.trunc(runId)}`
  );
}

/**
 * Deletes an ended run: its rows, its names, the cohort it generated and then its row.
 * Every step is tried even if one fails; the row goes only once its cohort is gone (a
 * cohort not deleted in full stays named by the run, as releaseRunCohortSql keeps it).
 */
export async function deleteRun(db: Connector, runId: number): Promise<void> {
  const id = Math.trunc(runId);
  const cohortId = await scalar<number | null>(db, `SELECT cohort_id FROM run WHERE run_id = ${id}`);
  await execEach(db, [
    ...RUN_DATA_TABLES.map((t) => `DELETE FROM ${t} WHERE run_id = ${id}`),
    ...(cohortId === null || cohortId === undefined ? [] : releaseRunCohortSql(id, cohortId)),
    `DELETE FROM run_name WHERE run_id = ${id} AND NOT EXISTS (SELECT 1 FROM run WHERE run_id = ${id} AND cohort_id IS NOT NULL)`,
    `DELETE FROM run WHERE run_id = ${id} AND cohort_id IS NULL`
  ]);
}

export async function beginRun(
  db: Connector,
  args: {
    name: string;
    protocol: unknown;
    seed: number;
    replicates: number;
    nTwins: number;
    design: string;
    arms: string[];
    variables: string[];
    endpoints: string[];
    primaryEndpoint: string;
    /** Treatment discontinuation reasons by code (the `endpoint` of discontinuation events). */
    reasons?: string[];
  }
): Promise<number> {
  await ensureRunSchema(db);
  const runId = await nextId(db, 'run');
  await db.exec(
    `INSERT INTO run (run_id, name, protocol, seed, replicates, n_twins, design, arms, endpoints, primary_endpoint, status, started_at, app_version, writer_pid, writer_host) VALUES (` +
      [
        runId,
        sqlString(args.name),
        sqlString(JSON.stringify(args.protocol)),
        args.seed,
        args.replicates,
        args.nTwins,
        sqlString(args.design),
        sqlString(JSON.stringify(args.arms)),
        sqlString(JSON.stringify(args.endpoints)),
        sqlString(args.primaryEndpoint),
        `'running'`,
        'current_timestamp',
        sqlString(APP_VERSION),
        ...writerValues(db)
      ].join(', ') +
      `)`
  );
  const names: [string, readonly string[]][] = [
    ['arm', args.arms],
    ['variable', args.variables],
    ['endpoint', args.endpoints],
    ['event', EVENT_KINDS],
    ['reason', args.reasons ?? []]
  ];
  const values = names.flatMap(([kind, list]) =>
    list.map((name, code) => `(${runId}, '${kind}', ${code}, ${sqlString(name)})`)
  );
  await db.exec(`INSERT INTO run_name VALUES ${values.join(', ')}`);
  return runId;
}

export async function setRunCohort(db: Connector, runId: number, cohortId: number): Promise<void> {
  await db.exec(`UPDATE run SET cohort_id = ${cohortId} WHERE run_id = ${runId}`);
}

type Column = Int32Array | Int16Array | Int8Array | Float64Array | Vector<List<Float64>>;

/** Appends typed-array columns (in the data table's column order after run_id and
 * replicate) to a data table; a chunk with no such rows appends nothing. */
async function appendRows(db: Connector, table: string, runId: number, replicate: number, columns: Column[]) {
  const n = columns[0].length;
  if (n === 0) return;
  const vectors: Record<string, ReturnType<typeof makeVector>> = {
    run_id: makeVector(new Int32Array(n).fill(runId)),
    replicate: makeVector(new Int32Array(n).fill(replicate))
  };
  // Arrow matches the table by position: the keys only need to be distinct.
  columns.forEach((c, i) => (vectors[`c${i}`] = c instanceof Vector ? c : makeVector(c)));
  await db.insertArrow(table, new Table(vectors));
}

/** Appends one simulated chunk to the run's data tables. */
export async function insertTrialChunk(db: Connector, runId: number, c: TrialChunk): Promise<void> {
  const { assignment: a, observation: o, event: e, endpoint: p } = c;
  await appendRows(db, 'assignment_data', runId, c.replicate, [a.twin, a.arm, a.stratum]);
  await appendRows(db, 'observation_data', runId, c.replicate, [o.twin, o.arm, o.variable, o.time, o.value]);
  const f = c.profile;
  if (f.twin.length > 0) {
    await appendRows(db, 'profile_data', runId, c.replicate, [
      f.twin,
      f.arm,
      f.variable,
      f.t0,
      doubleLists(f.length, f.value)
    ]);
  }
  await appendRows(db, 'event_data', runId, c.replicate, [e.twin, e.arm, e.kind, e.endpoint, e.time]);
  await appendRows(db, 'endpoint_data', runId, c.replicate, [p.twin, p.arm, p.endpoint, p.value, p.censored]);
}

/** One replicate's true value of an estimand in an arm: the mean over its n twins. */
export interface EstimandTruthRow {
  replicate: number;
  endpoint: string;
  estimand: string;
  arm: string;
  value: number;
  n: number;
}

/** Stores a run's true estimand values (`estimand_truth`, one row per replicate,
 * endpoint, estimand and arm); values go in as text, so they are stored to the bit. */
export async function insertEstimandTruth(
  db: Connector,
  runId: number,
  rows: EstimandTruthRow[]
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) =>
      `(${runId}, ${r.replicate}, ${sqlString(r.endpoint)}, ${sqlString(r.estimand)}, ${sqlString(r.arm)}, '${r.value}'::DOUBLE, ${r.n})`
  );
  await db.exec(`INSERT INTO estimand_truth VALUES ${values.join(', ')}`);
}

/** Records the grid of a run's dense profiles (the times of each profile's values). */
export async function storeProfileGrid(db: Connector, runId: number, times: Float64Array): Promise<void> {
  await db.insertArrow(
    'profile_grid',
    new Table({
      run_id: makeVector(Int32Array.of(runId)),
      time_h: doubleLists(Int32Array.of(times.length), times)
    })
  );
}

/** Marks the run complete: its rows become visible in the result views. */
export async function completeRun(db: Connector, runId: number, seconds: number): Promise<void> {
  await db.exec(
    `UPDATE run SET status = 'complete', finished_at = current_timestamp, seconds = ${seconds} WHERE run_id = ${runId}`
  );
}

/**
 * Marks a run failed or cancelled and deletes whatever rows it had written, and its
 * cohort when the run generated it (`cohortId`). Every step is tried even if one fails;
 * the status goes first, the smallest write and the likeliest to succeed on a full disk.
 */
export async function abandonRun(
  db: Connector,
  runId: number,
  status: 'failed' | 'cancelled' | 'interrupted',
  error: string,
  cohortId?: number
) {
  await execEach(db, [
    `UPDATE run SET status = ${sqlString(status)}, error = ${sqlString(error)}, finished_at = current_timestamp ` +
      `WHERE run_id = ${runId}`,
    ...RUN_DATA_TABLES.map((t) => `DELETE FROM ${t} WHERE run_id = ${runId}`),
    ...(cohortId === undefined ? [] : releaseRunCohortSql(runId, cohortId))
  ]);
}

/**
 * Deletes an ended run's cohort (the run generated it) and then forgets it in the run row;
 * a cohort not deleted in full stays named by the run, so the next try finds it.
 */
export function releaseRunCohortSql(runId: number, cohortId: number): string[] {
  return [
    ...deleteCohortSql(cohortId),
    `UPDATE run SET cohort_id = NULL WHERE run_id = ${runId} AND cohort_id NOT IN (SELECT cohort_id FROM cohort)`
  ];
}

export async function listRuns(db: Connector): Promise<RunRecord[]> {
  await ensureRunSchema(db);
  return rowsOf<Record<string, unknown>>(
    await db.query(
      `SELECT run_id, name, cohort_id, protocol, seed, replicates, n_twins, design, arms, endpoints, primary_endpoint, status, error, CAST(started_at AS VARCHAR) AS started_at, seconds, label, notes FROM run ORDER BY run_id`
    )
  ).map((r) => ({
    runId: r.run_id as number,
    name: r.name as string,
    cohortId: (r.cohort_id as number) ?? null,
    protocol: JSON.parse(r.protocol as string),
    seed: r.seed as number,
    replicates: r.replicates as number,
    nTwins: r.n_twins as number,
    design: r.design as string,
    arms: JSON.parse(r.arms as string),
    endpoints: JSON.parse(r.endpoints as string),
    primaryEndpoint: (r.primary_endpoint as string) ?? null,
    status: r.status as RunRecord['status'],
    error: (r.error as string) ?? null,
    startedAt: r.started_at as string,
    seconds: (r.seconds as number) ?? null,
    label: (r.label as string) ?? null,
    notes: (r.notes as string) ?? null
  }));
}
