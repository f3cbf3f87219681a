import { abandonCalibration, CALIBRATION_DATA_TABLES } from './calibration-store';
import { abandonCohort } from './cohort-store';
import { execEach, rowsOf, type Connector, type Writer } from './connector';
import { abandonPower, POWER_DATA_TABLES } from './power-store';
import { abandonRun, releaseRunCohortSql, RUN_DATA_TABLES } from './run-store';
import { ensureWriterColumns, type WorkTable } from './schema';

/**
 * Work that nobody will finish. A signal handler marks cancelled work and deletes its rows,
 * but nothing runs after SIGKILL, a crash or a power cut: the work stays 'running' (a
 * cohort 'generating') with its partial rows. Each piece of work records its writer's
 * process id and host, so when a database is opened, work whose writer is gone is marked
 * 'interrupted' and its rows deleted, as a cancellation would have done. Rows a failed
 * cleanup left behind (a disk still full) go too: rows of runs, cohorts, power studies and
 * calibrations that are neither complete nor still being written.
 */
interface Work {
  table: WorkTable;
  id: string;
  active: string;
  what: string;
  abandon(db: Connector, row: Record<string, unknown>, error: string): Promise<void>;
}

// Runs first: a run's cohort goes with it.
const WORK: Work[] = [
  {
    table: 'run',
    id: 'run_id',
    active: 'running',
    what: 'run',
    abandon: (db, row, error) =>
      abandonRun(
        db,
        row.run_id as number,
        'interrupted',
        error,
        (row.cohort_id as number | null) ?? undefined
      )
  },
  {
    table: 'cohort',
    id: 'cohort_id',
    active: 'generating',
    what: 'cohort',
    abandon: (db, row, error) => abandonCohort(db, row.cohort_id as number, 'interrupted', error)
  },
  {
    table: 'power',
    id: 'power_id',
    active: 'running',
    what: 'power study',
    abandon: (db, row, error) => abandonPower(db, row.power_id as number, 'interrupted', error)
  },
  {
    table: 'calibration',
    id: 'calibration_id',
    active: 'running',
    what: 'calibration',
    abandon: (db, row, error) => abandonCalibration(db, row.calibration_id as number, 'interrupted', error)
  }
];

/**
 * Marks work whose writer is no longer running (`isRunning` false) interrupted, deletes
 * its rows and any orphan rows; returns a sentence for each piece of work it marked.
 */
export async function recoverInterrupted(
  db: Connector,
  isRunning: (writer: Writer | null) => boolean
): Promise<string[]> {
  const columns = rowsOf<{ t: string; c: string }>(
    await db.query(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'main'`
    )
  );
  const tables = new Set(columns.map((r) => r.t));
  const has = (t: string, c: string) => columns.some((r) => r.t === t && r.c === c);
  const notes: string[] = [];
  for (const work of WORK) {
    // A table of that name that is not Twinbench's is left alone.
    if (!has(work.table, 'status') || !has(work.table, work.id)) continue;
    await ensureWriterColumns(db, work.table);
    const rows = rowsOf(await db.query(`SELECT * FROM ${work.table} WHERE status = '${work.active}'`));
    for (const row of rows) {
      const writer =
        row.writer_pid === null ? null : { pid: row.writer_pid as number, host: row.writer_host as string };
      if (isRunning(writer)) continue;
      const by = writer ? `process ${writer.pid} on ${writer.host}` : 'a process that is not recorded';
      const error = `interrupted: ${by} ended without finishing it (killed or crashed)`;
      await work.abandon(db, row, error);
      notes.push(
        `${work.what} ${row[work.id]} was left ${work.active} by ${by}, which has ended: ` +
          `marked interrupted and its rows deleted`
      );
    }
  }
  await deleteOrphans(db, tables, has);
  return notes;
}

/**
 * Rows and staging tables of work that is neither complete nor still being written. The
 * rows are looked for by the ids of such work (not by "every id but the complete ones"),
 * so DuckDB skips row groups by their min/max and a large database opens in milliseconds.
 */
async function deleteOrphans(
  db: Connector,
  tables: Set<string>,
  has: (table: string, column: string) => boolean
): Promise<void> {
  const ended = async (table: string, id: string, keep: string) =>
    rowsOf<{ id: number }>(
      await db.query(`SELECT ${id} AS id FROM ${table} WHERE status NOT IN (${keep})`)
    ).map((r) => r.id);
  const deleteRows = async (table: string, id: string, ids: number[]) => {
    if (ids.length && has(table, id))
      await db.exec(`DELETE FROM ${table} WHERE ${id} IN (${ids.join(', ')})`);
  };
  if (has('run', 'status') && has('cohort', 'status')) {
    // An ended run's cohort that its cleanup could not delete in full.
    const owned = rowsOf<{ run: number; cohort: number }>(
      await db.query(
        `SELECT run_id AS run, cohort_id AS cohort FROM run ` +
          `WHERE status NOT IN ('complete', 'running') AND cohort_id IS NOT NULL`
      )
    );
    for (const { run, cohort } of owned) await execEach(db, releaseRunCohortSql(run, cohort));
  }
  if (has('cohort', 'status')) {
    const generating = new Set(
      rowsOf<{ id: number }>(
        await db.query(`SELECT cohort_id AS id FROM cohort WHERE status = 'generating'`)
      ).map((r) => r.id)
    );
    for (const t of tables) {
      const stage = /^twin_stage_(\d+)$/.exec(t);
      if (stage && !generating.has(Number(stage[1]))) await db.exec(`DROP TABLE IF EXISTS ${t}`);
    }
    await deleteRows('twin', 'cohort_id', await ended('cohort', 'cohort_id', `'complete', 'generating'`));
  }
  if (has('run', 'status')) {
    const runs = await ended('run', 'run_id', `'complete', 'running'`);
    for (const t of RUN_DATA_TABLES) await deleteRows(t, 'run_id', runs);
  }
  if (has('power', 'status')) {
    const studies = await ended('power', 'power_id', `'complete', 'running'`);
    for (const t of POWER_DATA_TABLES) await deleteRows(t, 'power_id', studies);
  }
  if (has('calibration', 'status')) {
    const calibrations = await ended('calibration', 'calibration_id', `'complete', 'running'`);
    for (const t of CALIBRATION_DATA_TABLES) await deleteRows(t, 'calibration_id', calibrations);
  }
}
