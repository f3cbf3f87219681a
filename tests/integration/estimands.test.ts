/**
 * The true values of the estimands, where they are known in closed form. A one-compartment
 * IV model with E = E0 + SLOPE·C, given as back-to-back one-hour infusions with fast
 * elimination (k = 10/h), so a twin on treatment at the one-week visit has C = D/CL = 1
 * mg/L and a change in E of SLOPE·1 = −5, and a twin whose last infusion ended an hour
 * before has C ≤ e^{−10}. Treatment is discontinued by a constant hazard (50 % by one
 * week), and visits at 0, 3 days and 1 week, so with N twins, of whom m discontinued
 * before the one-week visit, m1 at least an hour before it and m3 before the 3-day visit:
 * - hypothetical effect: −5 (every twin on treatment);
 * - treatment policy: −5·(N − m1)/N (the closed form 0.5^{167/168} in expectation);
 * - while on treatment: −5·(N − m3)/N (the last visit on treatment is at 3 days, change −5,
 *   or baseline, change 0);
 * - composite (success: change below −2.5): (N − m)/N, a difference of proportions.
 * Loss to follow-up changes no true value (they assume complete follow-up), and a parallel
 * design gives the same truth as a counterfactual one (every twin under every arm).
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { estimandTruth } from '../../src/lib/analysis/estimand-truth';
import { trialFlow } from '../../src/lib/analysis/trial-flow';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { runHash } from '../helpers/run-hash';

const COHORT = readFileSync('cohorts/adults-nhanes.yaml', 'utf8');
const N = 1000;

const BASE = {
  name: 'estimand truth',
  seed: 11,
  design: 'counterfactual',
  replicates: 2,
  cohort: { file: 'adults-nhanes.yaml', n: N },
  model: {
    model: 'pk1cmt_iv+linear',
    parameters: { CL: 10, V: 1, E0: 100, SLOPE: -5 },
    residualError: { E: { type: 'additive', additive: 2 } }
  },
  arms: [
    { name: 'placebo', placebo: true },
    { name: 'drug', regimen: { dose: 10, interval: '1h', duration: '1w', infusion: '1h' } }
  ],
  schedule: { duration: '1w', visits: [0, '3d', '1w'] },
  endpoints: [
    {
      name: 'dE',
      type: 'continuous',
      variable: 'E',
      visit: '1w',
      primary: true,
      estimands: ['treatment_policy', 'hypothetical', 'while_on_treatment', 'composite'],
      composite: { below: -2.5 }
    }
  ],
  intercurrent: { discontinuation: [{ reason: 'adverse_event', probability: 0.5, by: '1w' }] }
};
type Spec = typeof BASE & Record<string, unknown>;

function protocol(changes: (p: Spec) => void = () => {}) {
  const p = structuredClone(BASE) as Spec;
  changes(p);
  return loadProtocol(stringify(p), 'trial.yaml', () => ({ text: COHORT, file: 'adults-nhanes.yaml' }));
}

const truthRows = async (db: Connector, runId: number) =>
  rowsOf<{ replicate: number; estimand: string; arm: string; value: number; n: number }>(
    await db.query(
      `SELECT replicate, endpoint, estimand, arm, value, n FROM estimand_truth WHERE run_id = ${runId} ORDER BY ALL`
    )
  );

/** Per replicate, how many twins discontinued before time t (the same in every arm). */
const stoppedBefore = async (db: Connector, runId: number, replicate: number, t: number) =>
  Number(
    rowsOf<{ n: number }>(
      await db.query(
        `SELECT count(*)::DOUBLE AS n FROM event WHERE run_id = ${runId} AND replicate = ${replicate} ` +
          `AND arm = 'drug' AND kind = 'discontinuation' AND time_h < ${t}`
      )
    )[0].n
  );

describe('estimand truth', () => {
  it('agrees with the closed form for a constant discontinuation hazard', async () => {
    const db = await NodeConnector.open();
    const { runId } = await runTrial({ db, pool: nodeWorkerPool(0), protocol: protocol() });
    for (const replicate of [0, 1]) {
      const m = await stoppedBefore(db, runId, replicate, 168);
      const m1 = await stoppedBefore(db, runId, replicate, 167);
      const m3 = await stoppedBefore(db, runId, replicate, 72);
      const effect = Object.fromEntries(
        (await estimandTruth(db, runId, replicate))
          .filter((r) => r.arm === 'drug')
          .map((r) => [r.estimand, r])
      );
      expect(effect.hypothetical.effect).toBeCloseTo(-5, 9);
      expect(effect.treatment_policy.effect).toBeCloseTo((-5 * (N - m1)) / N, 3);
      expect(effect.while_on_treatment.effect).toBeCloseTo((-5 * (N - m3)) / N, 9);
      expect(effect.composite.effect).toBeCloseTo((N - m) / N, 12);
      expect(effect.composite.n).toBe(N);
      // The discontinuation fraction against 1 − 0.5^{167/168}, within 4 binomial SE.
      const p = 1 - 0.5 ** (167 / 168);
      expect(Math.abs(m1 / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    }
    // Pooled over the replicates: the mean of the two (equal n).
    const pooled = await estimandTruth(db, runId);
    const [r0, r1] = [await estimandTruth(db, runId, 0), await estimandTruth(db, runId, 1)];
    pooled.forEach((row, i) => {
      expect(row.n).toBe(2 * N);
      expect(row.value).toBeCloseTo((r0[i].value + r1[i].value) / 2, 12);
    });
    await db.close();
  }, 120_000);

  it('is the same in a parallel design, with loss to follow-up, any worker count and chunk size', async () => {
    const db = await NodeConnector.open();
    const runs: { runId: number; hash: string }[] = [];
    for (const [workers, chunkSize, changes] of [
      [0, N, () => {}],
      [2, 37, () => {}],
      [2, 100, (p: Spec) => (p.design = 'parallel')],
      [0, 300, (p: Spec) => Object.assign(p.intercurrent, { lossToFollowUp: 0.2 })]
    ] as const) {
      const pool = nodeWorkerPool(workers);
      const { runId } = await runTrial({ db, pool, protocol: protocol(changes), chunkSize });
      pool.terminate();
      runs.push({ runId, hash: await runHash(db, runId) });
    }
    const truth = await Promise.all(runs.map((r) => truthRows(db, r.runId)));
    expect(truth[0].length).toBe(2 * 4 * 2);
    for (const t of truth.slice(1)) expect(t).toEqual(truth[0]);
    expect(runs[1].hash).toBe(runs[0].hash);

    // The trial flow: every twin in both arms; those lost to follow-up do not complete.
    const flow = await trialFlow(db, runs[3].runId);
    const m = await stoppedBefore(db, runs[3].runId, 0, 1e9);
    expect(flow.map((f) => f.arm)).toEqual(['placebo', 'drug']);
    for (const f of flow) {
      expect(f.randomised).toBe(N);
      expect(f.discontinued).toBe(m);
      expect(f.discontinuedBy).toEqual({ adverse_event: m });
      expect(f.lostToFollowUp).toBeGreaterThan(0.1 * m);
      expect(f.lostToFollowUp).toBeLessThan(0.3 * m);
      expect(f.completed).toBe(N - f.lostToFollowUp);
      expect(f.rescued).toBe(0);
    }
    await db.close();
  }, 240_000);
});
