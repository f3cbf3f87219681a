import { rowsOf, type Connector } from '../db/connector';

/**
 * What the Home page lists from the workspace: the latest runs, cohorts, saved protocols
 * and cohort specs, saved models and power studies, newest first. Reading writes nothing:
 * a table made by the first save of its kind is read only once it exists.
 */
export interface RecentRun {
  runId: number;
  name: string;
  nTwins: number;
  replicates: number;
  status: string;
  primaryEndpoint: string | null;
  at: string;
}

export interface RecentCohort {
  cohortId: number;
  name: string;
  nEnrolled: number | null;
  status: string;
  at: string;
}

export interface RecentSaved {
  /** 'protocol' or 'cohort' for saved specs, 'model' for model texts */
  kind: string;
  name: string;
  at: string;
}

export interface RecentPower {
  powerId: number;
  name: string;
  status: string;
  at: string;
}

export interface WorkspaceRecent {
  runs: RecentRun[];
  cohorts: RecentCohort[];
  /** saved protocols, cohort specs and models together, newest first */
  saved: RecentSaved[];
  powers: RecentPower[];
}

async function existingTables(db: Connector): Promise<Set<string>> {
  const rows = rowsOf<{ name: string }>(
    await db.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'`)
  );
  return new Set(rows.map((r) => r.name));
}

/** Up to `limit` of each kind, newest first (ties by id, newest first). */
export async function workspaceRecent(db: Connector, limit = 5): Promise<WorkspaceRecent> {
  const limitSql = Math.max(1, Math.floor(limit));
  const tables = await existingTables(db);
  const read = async <T>(table: string, sql: string): Promise<T[]> =>
    tables.has(table) ? rowsOf<T>(await db.query(sql)) : [];
  // One query after another: a connection runs one statement at a time.
  const runs = await read<RecentRun>(
    'run',
    `SELECT run_id AS runId, name, n_twins AS nTwins, replicates, status, primary_endpoint AS primaryEndpoint,
              CAST(date_trunc('second', started_at) AS VARCHAR) AS at
       FROM run ORDER BY started_at DESC, run_id DESC LIMIT ${limitSql}`
  );
  const cohorts = await read<RecentCohort>(
    'cohort',
    `SELECT cohort_id AS cohortId, name, n_enrolled AS nEnrolled, status,
              CAST(date_trunc('second', created_at) AS VARCHAR) AS at
       FROM cohort ORDER BY created_at DESC, cohort_id DESC LIMIT ${limitSql}`
  );
  const specs = await read<RecentSaved>(
    'spec',
    `SELECT kind, name, CAST(date_trunc('second', saved_at) AS VARCHAR) AS at
       FROM spec ORDER BY saved_at DESC, name LIMIT ${limitSql}`
  );
  const models = await read<RecentSaved>(
    'model',
    `SELECT 'model' AS kind, name, CAST(date_trunc('second', saved_at) AS VARCHAR) AS at
       FROM model ORDER BY saved_at DESC, name LIMIT ${limitSql}`
  );
  const powers = await read<RecentPower>(
    'power',
    `SELECT power_id AS powerId, name, status, CAST(date_trunc('second', started_at) AS VARCHAR) AS at
       FROM power ORDER BY started_at DESC, power_id DESC LIMIT ${limitSql}`
  );
  const saved = [...specs, ...models]
    .sort((a, b) => b.at.localeCompare(a.at) || a.name.localeCompare(b.name))
    .slice(0, limitSql);
  return { runs, cohorts, saved, powers };
}
