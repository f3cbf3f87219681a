import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import {
  deleteRun,
  ensureRunSchema,
  listRuns,
  RUN_DATA_TABLES,
  setRunNotes
} from '../../src/lib/db/run-store';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { shippedProtocol } from '../helpers/shipped-protocol';

const protocol = shippedProtocol('antihypertensive-dose-ranging.yaml');

let db: Connector;
const count = (sql: string) => scalar<number>(db, `SELECT count(*)::DOUBLE FROM ${sql}`);

beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db.close());

async function run(n: number) {
  const pool = nodeWorkerPool(0);
  try {
    return await runTrial({ db, pool, protocol, n });
  } finally {
    pool.terminate();
  }
}

describe("a run's label and notes", () => {
  it('are stored and listed, blank text as none', async () => {
    const { runId } = await run(40);
    expect((await listRuns(db)).find((r) => r.runId === runId)).toMatchObject({ label: null, notes: null });
    await setRunNotes(db, runId, { label: '  dose check ', notes: "first look; it's fine\nsecond line" });
    expect((await listRuns(db)).find((r) => r.runId === runId)).toMatchObject({
      label: 'dose check',
      notes: "first look; it's fine\nsecond line"
    });
    await setRunNotes(db, runId, { label: ' ', notes: null });
    expect((await listRuns(db)).find((r) => r.runId === runId)).toMatchObject({ label: null, notes: null });
  }, 60_000);

  it('are added to a workspace whose run table was made before them', async () => {
    const old = await NodeConnector.open();
    await old.exec(
      `CREATE TABLE run (run_id INTEGER NOT NULL, name VARCHAR NOT NULL, cohort_id INTEGER, protocol VARCHAR NOT NULL,
        seed BIGINT NOT NULL, replicates INTEGER NOT NULL, n_twins INTEGER NOT NULL, design VARCHAR NOT NULL,
        arms VARCHAR NOT NULL, endpoints VARCHAR NOT NULL, primary_endpoint VARCHAR, status VARCHAR NOT NULL,
        error VARCHAR, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, seconds DOUBLE, app_version VARCHAR NOT NULL);
       INSERT INTO run VALUES (1, 'old', NULL, '{}', 1, 1, 10, 'parallel', '[]', '[]', NULL, 'complete', NULL,
        TIMESTAMP '2026-01-01 00:00:00', NULL, 1, '0.1')`
    );
    await ensureRunSchema(old);
    expect(await listRuns(old)).toMatchObject([{ runId: 1, label: null, notes: null }]);
    await old.close();
  });
});

describe('deleting a run', () => {
  it('deletes its rows, its names, the cohort it generated and its row, and nothing of another run', async () => {
    const kept = await run(40);
    const gone = await run(48);
    await setRunNotes(db, gone.runId, { label: 'to delete', notes: null });
    expect(await count(`twin WHERE cohort_id = ${gone.cohortId}`)).toBe(48);
    await deleteRun(db, gone.runId);
    expect((await listRuns(db)).map((r) => r.runId)).not.toContain(gone.runId);
    for (const t of [...RUN_DATA_TABLES, 'run_name'])
      expect(await count(`${t} WHERE run_id = ${gone.runId}`), t).toBe(0);
    expect(await count(`cohort WHERE cohort_id = ${gone.cohortId}`)).toBe(0);
    expect(await count(`twin WHERE cohort_id = ${gone.cohortId}`)).toBe(0);
    // the other run is whole
    expect(await count(`endpoint WHERE run_id = ${kept.runId}`)).toBeGreaterThan(0);
    expect(await count(`twin WHERE cohort_id = ${kept.cohortId}`)).toBe(40);
    // the newest run and its cohort were deleted: their ids are not given again, so an old
    // address of the deleted run never opens the next one
    const next = await run(40);
    expect(next.runId).toBe(gone.runId + 1);
    expect(next.cohortId).toBe(gone.cohortId + 1);
  }, 60_000);
});
