import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRecent } from '../../src/lib/analysis/workspace-recent';
import { saveModel } from '../../src/lib/db/model-store';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { ensureSchema } from '../../src/lib/db/schema';
import { RUN_SCHEMA_SQL } from '../../src/lib/db/run-store';
import { saveSpec } from '../../src/lib/db/spec-store';

describe('workspaceRecent', () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it('lists nothing in an empty workspace and creates no table', async () => {
    expect(await workspaceRecent(db)).toEqual({ runs: [], cohorts: [], saved: [], powers: [] });
    const n = await db.query(`SELECT count(*)::INTEGER AS n FROM information_schema.tables`);
    expect(n.getChild('n')?.get(0)).toBe(0);
  });

  it('lists each kind newest first, up to the limit', async () => {
    await ensureSchema(db);
    await db.exec(RUN_SCHEMA_SQL);
    for (let i = 1; i <= 4; i++) {
      await db.exec(
        `INSERT INTO cohort (cohort_id, name, seed, spec, columns, n_enrolled, status, created_at, app_version)
         VALUES (${i}, 'cohort ${i}', 1, '{}', '[]', ${i * 100}, 'complete', TIMESTAMP '2026-01-0${i} 10:00:00.123', '0.1.0')`
      );
      await db.exec(
        `INSERT INTO run (run_id, name, protocol, seed, replicates, n_twins, design, arms, endpoints, primary_endpoint, status, started_at, app_version)
         VALUES (${i}, 'trial ${i}', '{}', 1, 1, ${i * 10}, 'parallel', '[]', '[]', ${i === 4 ? 'NULL' : "'e'"}, 'complete', TIMESTAMP '2026-02-0${5 - i} 09:00:00', '0.1.0')`
      );
    }
    await saveSpec(db, 'protocol', 'my trial', 'name: x\n');
    await saveModel(db, 'my model', 'model m\n');
    const recent = await workspaceRecent(db, 3);
    // Run 1 started last (Feb 4).
    expect(recent.runs.map((r) => r.runId)).toEqual([1, 2, 3]);
    expect(recent.runs[0]).toEqual({
      runId: 1,
      name: 'trial 1',
      nTwins: 10,
      replicates: 1,
      status: 'complete',
      primaryEndpoint: 'e',
      at: '2026-02-04 09:00:00'
    });
    expect(recent.cohorts.map((c) => [c.cohortId, c.nEnrolled, c.at])).toEqual([
      [4, 400, '2026-01-04 10:00:00'],
      [3, 300, '2026-01-03 10:00:00'],
      [2, 200, '2026-01-02 10:00:00']
    ]);
    expect(recent.saved.map((s) => [s.kind, s.name]).sort()).toEqual([
      ['model', 'my model'],
      ['protocol', 'my trial']
    ]);
    expect(recent.powers).toEqual([]);
  });
});
