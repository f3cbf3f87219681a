import { makeVector, Table } from 'apache-arrow';
import type { TrialChunk } from '../engine/trial';
import { EVENT_KINDS } from '../engine/trial';
import { APP_VERSION } from '../version';
import { rowsOf, scalar, sqlString, type Connector } from './connector';
import { ensureSchema } from './schema';

/**
 * Trial runs in DuckDB: the run row (resolved protocol, seed, status, timings) and its
 * result tables. As with cohorts, chunks are appended to staging tables holding indices
 * (a memcpy per column) and moved into the named tables in one transaction when the
 * run completes, so only a complete run ever has rows in assignment, observation,
 * event and endpoint.
 */
export const RUN_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS run (
  run_id INTEGER NOT NULL, name VARCHAR NOT NULL, cohort_id INTEGER, protocol VARCHAR NOT NULL,
  seed BIGINT NOT NULL, replicates INTEGER NOT NULL, n_twins INTEGER NOT NULL, design VARCHAR NOT NULL,
  arms VARCHAR NOT NULL, endpoints VARCHAR NOT NULL, primary_endpoint VARCHAR,
  status VARCHAR NOT NULL, error VARCHAR, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
  seconds DOUBLE, app_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS assignment (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm VARCHAR, stratum INTEGER);
CREATE TABLE IF NOT EXISTS observation (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm VARCHAR, variable VARCHAR, time_h DOUBLE, value DOUBLE);
CREATE TABLE IF NOT EXISTS event (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm VARCHAR, kind VARCHAR, endpoint VARCHAR, time_h DOUBLE);
CREATE TABLE IF NOT EXISTS endpoint (run_id INTEGER, replicate INTEGER, twin_id INTEGER, arm VARCHAR, endpoint VARCHAR, value DOUBLE, censored TINYINT);
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
  status: 'running' | 'complete' | 'failed' | 'cancelled';
  error: string | null;
  startedAt: string;
  seconds: number | null;
}

const STAGES = {
  assignment: 'replicate INTEGER, twin_id INTEGER, arm SMALLINT, stratum INTEGER',
  observation:
    'replicate INTEGER, twin_id INTEGER, arm SMALLINT, variable SMALLINT, time_h DOUBLE, value DOUBLE',
  event: 'replicate INTEGER, twin_id INTEGER, arm SMALLINT, kind SMALLINT, endpoint SMALLINT, time_h DOUBLE',
  endpoint:
    'replicate INTEGER, twin_id INTEGER, arm SMALLINT, endpoint SMALLINT, value DOUBLE, censored TINYINT'
} as const;
const stage = (table: keyof typeof STAGES, runId: number) => `${table}_stage_${runId}`;

export async function ensureRunSchema(db: Connector): Promise<void> {
  await ensureSchema(db);
  await db.exec(RUN_SCHEMA_SQL);
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
    endpoints: string[];
    primaryEndpoint: string;
  }
): Promise<number> {
  await ensureRunSchema(db);
  const runId = ((await scalar<number | null>(db, `SELECT max(run_id) FROM run`)) ?? 0) + 1;
  await db.exec(
    `INSERT INTO run (run_id, name, protocol, seed, replicates, n_twins, design, arms, endpoints, primary_endpoint, status, started_at, app_version) VALUES (` +
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
        sqlString(APP_VERSION)
      ].join(', ') +
      `)`
  );
  for (const [table, cols] of Object.entries(STAGES)) {
    await db.exec(`CREATE OR REPLACE TABLE ${stage(table as keyof typeof STAGES, runId)} (${cols})`);
  }
  return runId;
}

export async function setRunCohort(db: Connector, runId: number, cohortId: number): Promise<void> {
  await db.exec(`UPDATE run SET cohort_id = ${cohortId} WHERE run_id = ${runId}`);
}

const constant = (n: number, v: number) => makeVector(new Int32Array(n).fill(v));

/** Appends one simulated chunk to the run's staging tables. */
export async function insertTrialChunk(db: Connector, runId: number, c: TrialChunk): Promise<void> {
  const a = c.assignment;
  await db.insertArrow(
    stage('assignment', runId),
    new Table({
      replicate: constant(a.twin.length, c.replicate),
      twin_id: makeVector(a.twin),
      arm: makeVector(a.arm),
      stratum: makeVector(a.stratum)
    })
  );
  const o = c.observation;
  if (o.twin.length) {
    await db.insertArrow(
      stage('observation', runId),
      new Table({
        replicate: constant(o.twin.length, c.replicate),
        twin_id: makeVector(o.twin),
        arm: makeVector(o.arm),
        variable: makeVector(o.variable),
        time_h: makeVector(o.time),
        value: makeVector(o.value)
      })
    );
  }
  const e = c.event;
  if (e.twin.length) {
    await db.insertArrow(
      stage('event', runId),
      new Table({
        replicate: constant(e.twin.length, c.replicate),
        twin_id: makeVector(e.twin),
        arm: makeVector(e.arm),
        kind: makeVector(e.kind),
        endpoint: makeVector(e.endpoint),
        time_h: makeVector(e.time)
      })
    );
  }
  const p = c.endpoint;
  await db.insertArrow(
    stage('endpoint', runId),
    new Table({
      replicate: constant(p.twin.length, c.replicate),
      twin_id: makeVector(p.twin),
      arm: makeVector(p.arm),
      endpoint: makeVector(p.endpoint),
      value: makeVector(p.value),
      censored: makeVector(p.censored)
    })
  );
}

const list = (names: readonly string[]) => `[${names.map(sqlString).join(', ')}]`;

/** Moves the staged rows into the result tables with their names and marks the run complete. */
export async function completeRun(
  db: Connector,
  runId: number,
  names: { arms: string[]; variables: string[]; endpoints: string[] },
  seconds: number
): Promise<void> {
  const arms = list(names.arms);
  await db.exec('BEGIN TRANSACTION');
  try {
    await db.exec(
      `INSERT INTO assignment SELECT ${runId}, replicate, twin_id, ${arms}[arm + 1], stratum FROM ${stage('assignment', runId)}`
    );
    await db.exec(
      `INSERT INTO observation SELECT ${runId}, replicate, twin_id, ${arms}[arm + 1], ${list(names.variables)}[variable + 1], time_h, value FROM ${stage('observation', runId)}`
    );
    await db.exec(
      `INSERT INTO event SELECT ${runId}, replicate, twin_id, ${arms}[arm + 1], ${list(EVENT_KINDS)}[kind + 1], ` +
        `CASE WHEN endpoint >= 0 THEN ${list(names.endpoints)}[endpoint + 1] END, time_h FROM ${stage('event', runId)}`
    );
    await db.exec(
      `INSERT INTO endpoint SELECT ${runId}, replicate, twin_id, ${arms}[arm + 1], ${list(names.endpoints)}[endpoint + 1], ` +
        `CASE WHEN isnan(value) THEN NULL ELSE value END, censored FROM ${stage('endpoint', runId)}`
    );
    await db.exec(
      `UPDATE run SET status = 'complete', finished_at = current_timestamp, seconds = ${seconds} WHERE run_id = ${runId}`
    );
    for (const t of Object.keys(STAGES))
      await db.exec(`DROP TABLE ${stage(t as keyof typeof STAGES, runId)}`);
    await db.exec('COMMIT');
  } catch (e) {
    await db.exec('ROLLBACK');
    throw e;
  }
}

export async function abandonRun(
  db: Connector,
  runId: number,
  status: 'failed' | 'cancelled',
  error: string
) {
  for (const t of Object.keys(STAGES))
    await db.exec(`DROP TABLE IF EXISTS ${stage(t as keyof typeof STAGES, runId)}`);
  await db.exec(
    `UPDATE run SET status = ${sqlString(status)}, error = ${sqlString(error)}, finished_at = current_timestamp WHERE run_id = ${runId}`
  );
}

export async function listRuns(db: Connector): Promise<RunRecord[]> {
  await ensureRunSchema(db);
  return rowsOf<Record<string, unknown>>(
    await db.query(
      `SELECT run_id, name, cohort_id, protocol, seed, replicates, n_twins, design, arms, endpoints, primary_endpoint, status, error, CAST(started_at AS VARCHAR) AS started_at, seconds FROM run ORDER BY run_id`
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
    seconds: (r.seconds as number) ?? null
  }));
}
