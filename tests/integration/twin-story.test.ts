import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { storedRun } from '../../src/lib/analysis/run-plan';
import { twinStory } from '../../src/lib/analysis/twin-story';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { predictionTwin, predictTwin } from '../../src/lib/engine/trial';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { N, NONMEM_TEST_PROTOCOL } from './nonmem-test-protocol';

const COHORT = readFileSync('cohorts/adults-nhanes.yaml', 'utf8');
const load = (p: object) =>
  loadProtocol(stringify(p), 'trial.yaml', () => ({ text: COHORT, file: 'adults-nhanes.yaml' }));

describe("one twin's story", () => {
  let db: Connector;
  let runId: number;
  beforeAll(async () => {
    db = await NodeConnector.open();
    ({ runId } = await runTrial({ db, pool: nodeWorkerPool(0), protocol: load(NONMEM_TEST_PROTOCOL) }));
  });

  it('gives the stored covariates, both arms of a counterfactual twin, and its rows', async () => {
    const story = await twinStory(db, runId, 3);
    const [twin] = rowsOf(await db.query(`SELECT * FROM twin WHERE twin_id = 3`));
    for (const c of story.covariates) expect(c.value).toEqual(twin[c.name]);
    expect(story.covariates.find((c) => c.name === 'weight')?.unit).toBe('kg');
    expect(story.courses.map((c) => c.arm)).toEqual(['placebo', 'drug']);
    const [assigned] = rowsOf<{ arm: string }>(
      await db.query(`SELECT arm FROM assignment WHERE run_id = ${runId} AND twin_id = 3`)
    );
    expect(story.courses.filter((c) => c.observed).map((c) => c.arm)).toEqual([assigned.arm]);
    expect(story.courses[0].doses).toEqual([]);
    for (const course of story.courses) {
      const obs = rowsOf<{ variable: string; time_h: number; value: number }>(
        await db.query(
          `SELECT variable, time_h, value FROM observation WHERE run_id = ${runId} AND twin_id = 3 AND arm = '${course.arm}' ORDER BY variable, time_h`
        )
      );
      expect(course.observations).toEqual(
        obs.map((o) => ({ variable: o.variable, time: o.time_h, value: o.value }))
      );
      const events = rowsOf<{ kind: string; endpoint: string | null; time_h: number }>(
        await db.query(
          `SELECT kind, endpoint, time_h FROM event WHERE run_id = ${runId} AND twin_id = 3 AND arm = '${course.arm}' ORDER BY time_h`
        )
      );
      expect(course.missed).toEqual(events.filter((e) => e.kind === 'missed_dose').map((e) => e.time_h));
      expect(course.events.map((e) => [e.kind, e.detail, e.time])).toEqual(
        events.filter((e) => e.kind !== 'missed_dose').map((e) => [e.kind, e.endpoint, e.time_h])
      );
      expect(course.endpoints.map((e) => e.endpoint)).toEqual(['dE']);
    }
  });

  it("predicts the profile from the doses given: the engine's own prediction when none was missed", async () => {
    const run = await storedRun(db, runId);
    // A twin who missed no dose and never stopped: its prediction is predictTwin's.
    for (let id = 1; id <= N; id++) {
      const story = await twinStory(db, runId, id);
      const drug = story.courses[1];
      if (drug.missed.length || drug.events.some((e) => e.kind === 'discontinuation' || e.kind === 'dropout'))
        continue;
      expect(drug.profileSource).toBe('predicted');
      const times = Float64Array.from([0, 12, 36, 60, 96, 110]);
      const expected = predictTwin(run.plan, predictionTwin(run.plan, id), 1, times);
      const c = drug.profile.filter((p) => p.variable === 'C');
      times.forEach((t, k) => expect(c.find((p) => p.time === t)!.value).toBeCloseTo(expected[k], 10));
      return;
    }
    throw new Error('no twin took every dose');
  });

  it('reads a stored dense profile', async () => {
    const { runId: dense } = await runTrial({
      db,
      pool: nodeWorkerPool(0),
      protocol: load({ ...NONMEM_TEST_PROTOCOL, schedule: { ...NONMEM_TEST_PROTOCOL.schedule, dense: '6h' } })
    });
    const story = await twinStory(db, dense, 2);
    const stored = rowsOf<{ time_h: number; value: number }>(
      await db.query(
        `SELECT time_h, value FROM observation WHERE run_id = ${dense} AND twin_id = 2 AND arm = 'drug' AND variable = 'C' ORDER BY time_h`
      )
    );
    const drug = story.courses[1];
    expect(drug.profileSource).toBe('dense');
    const profile = drug.profile.filter((p) => p.variable === 'C');
    expect(profile.length).toBeGreaterThan(15);
    // Every dense point is one of the observation view's rows.
    for (const p of profile)
      expect(stored.some((s) => s.time_h === p.time && s.value === p.value)).toBe(true);
    // Visits and samples only among the observations.
    expect(drug.observations.filter((o) => o.variable === 'C').map((o) => o.time)).toEqual(
      [0, 12, 36, 48, 60, 96, 110, 120].filter((t) => stored.some((s) => s.time_h === t))
    );
  });

  it('names a twin that is not in the run', async () => {
    await expect(twinStory(db, runId, 0)).rejects.toThrow(
      `twin must be a whole number from 1 to ${N} (got 0)`
    );
    await expect(twinStory(db, runId, N + 1)).rejects.toThrow(`from 1 to ${N}`);
  });
});
