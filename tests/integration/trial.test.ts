import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { stringify } from 'yaml';
import { rowsOf, scalar, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { nodeWorkerPool, spawnNodeWorker } from '../../src/lib/runner/node-workers';
import { CancelledError, WorkerDiedError, WorkerPool } from '../../src/lib/runner/pool';
import { resolveRunProtocol, runTrial } from '../../src/lib/runner/run-trial';
import { SpecError } from '../../src/lib/spec/issues';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { compileProtocol, sequentialArms, TwinSimulationError } from '../../src/lib/engine/trial';
import { openWasmInNode } from '../helpers/wasm-in-node';
import { runHash } from '../helpers/run-hash';

const COHORT = readFileSync('cohorts/adults-nhanes.yaml', 'utf8');
const readCohort = () => ({ text: COHORT, file: 'adults-nhanes.yaml' });

/** A small protocol with an ODE (hybrid) model, windows, dropout, adherence and titration. */
const BASE = {
  name: 'test trial',
  seed: 99,
  cohort: { file: 'adults-nhanes.yaml', n: 300 },
  model: {
    model: 'pk1cmt_oral+idr1',
    parameters: { CL: 5, V: 50, KA: 1, R0: 100, KOUT: 0.05, IMAX: 0.6, IC50: 1 },
    iiv: {
      parameters: ['CL', 'IC50'],
      omega: [
        [0.09, 0],
        [0, 0.16]
      ]
    },
    covariates: [{ type: 'power', parameter: 'CL', covariate: 'weight', reference: 70, exponent: 0.75 }],
    residualError: { R: { type: 'proportional', proportional: 0.05 } }
  },
  arms: [
    { name: 'placebo', placebo: true },
    { name: 'low', regimen: { dose: 50, interval: '24h', duration: '4w' } },
    {
      name: 'high',
      regimen: { dose: 100, interval: '24h', duration: '4w' },
      titration: [{ at: '2w', if: 'R > 70', dose: 200 }]
    }
  ],
  allocation: { method: 'block', blockSize: 6 },
  schedule: {
    duration: '4w',
    visits: [0, { time: '2w', window: '1d' }, '4w'],
    pkSampling: ['1h', '4h', '24h']
  },
  endpoints: [
    { name: 'dR', type: 'continuous', variable: 'R', visit: '4w', primary: true },
    {
      name: 'responder',
      type: 'responder',
      variable: 'R',
      visit: '4w',
      measure: 'percent_change',
      threshold: -20
    },
    { name: 'auc_day1', type: 'pk', metric: 'auc', from: 0, to: '24h' }
  ],
  dropout: { rate: 0.1, per: '4w' },
  adherence: { missedDose: 0.1 }
};

const protocolText = (changes: (p: typeof BASE & Record<string, unknown>) => void = () => {}) => {
  const p = structuredClone(BASE) as typeof BASE & Record<string, unknown>;
  changes(p);
  return stringify(p);
};
const load = (text: string) => loadProtocol(text, 'trial.yaml', readCohort);

/**
 * A counterfactual 2×2 factorial on BASE: placebo, drug A (the protocol's model), drug B
 * (a companion whose effect adds to R) and A+B, all daily for 4 weeks, without dropout.
 */
const combinationProtocol = (changes: (p: typeof BASE & Record<string, unknown>) => void) =>
  load(
    protocolText((p) => {
      p.design = 'counterfactual';
      delete (p as Record<string, unknown>).dropout;
      p.allocation = { method: 'block', blockSize: 8 };
      p.companion = {
        name: 'drug B',
        model: { model: 'pk1cmt_oral+linear', parameters: { CL: 3, V: 30, KA: 0.8, E0: 0, SLOPE: -20 } },
        effect: { output: 'E', on: 'R' }
      };
      p.arms = [
        { name: 'placebo', placebo: true },
        { name: 'A', regimen: { dose: 50, interval: '24h', duration: '4w' } },
        { name: 'B', companion: { dose: 20, interval: '24h', duration: '4w' } },
        {
          name: 'A+B',
          regimen: { dose: 50, interval: '24h', duration: '4w' },
          companion: { dose: 20, interval: '24h', duration: '4w' }
        }
      ] as never;
      changes(p);
    })
  );

/** The largest per-twin departure of R from response additivity: (A+B − A) − (B − placebo). */
const additivityGap = (db: Connector, runId: number) =>
  scalar<number>(
    db,
    `WITH o AS (SELECT twin_id, time_h, arm, value FROM observation WHERE run_id = ${runId} AND variable = 'R'),
     w AS (PIVOT o ON arm USING first(value) GROUP BY twin_id, time_h)
     SELECT max(abs(("A+B" - "A") - ("B" - "placebo")))::DOUBLE FROM w`
  );

describe('trial runs', () => {
  it('are identical with 1, 2 and 4 workers and with different chunk sizes (parallel and counterfactual)', async () => {
    for (const design of ['parallel', 'counterfactual']) {
      const protocol = load(protocolText((p) => (p.design = design)));
      const db = await NodeConnector.open();
      const hashes: string[] = [];
      for (const [workers, chunkSize] of [
        [1, 300],
        [2, 37],
        [4, 100]
      ]) {
        const pool = nodeWorkerPool(workers);
        const { runId } = await runTrial({ db, pool, protocol, chunkSize, replicates: 2 });
        pool.terminate();
        hashes.push(await runHash(db, runId));
      }
      expect(hashes[1]).toBe(hashes[0]);
      expect(hashes[2]).toBe(hashes[0]);
      const rows = await scalar<number>(db, `SELECT count(*)::DOUBLE FROM endpoint WHERE run_id = 1`);
      expect(rows).toBe(2 * 300 * 3 * (design === 'counterfactual' ? 3 : 1));
      await db.close();
    }
  }, 240_000);

  it('records what a trial statistician expects: allocation, dropout, missed doses, titration, endpoints', async () => {
    const db = await NodeConnector.open();
    const { runId } = await runTrial({ db, pool: nodeWorkerPool(0), protocol: load(protocolText()) });
    const arms = rowsOf<{ arm: string; n: number }>(
      await db.query(
        `SELECT arm, count(*)::DOUBLE AS n FROM assignment WHERE run_id = ${runId} GROUP BY arm ORDER BY arm`
      )
    );
    expect(arms).toEqual([
      { arm: 'high', n: 100 },
      { arm: 'low', n: 100 },
      { arm: 'placebo', n: 100 }
    ]);
    const events = rowsOf<{ kind: string; n: number }>(
      await db.query(
        `SELECT kind, count(*)::DOUBLE AS n FROM event WHERE run_id = ${runId} GROUP BY kind ORDER BY kind`
      )
    );
    const dropouts = events.find((e) => e.kind === 'dropout')?.n ?? 0;
    // 10% expected over the study: 300 twins, binomial 4-SE band.
    expect(Math.abs(dropouts - 30)).toBeLessThan(4 * Math.sqrt(300 * 0.1 * 0.9));
    const missed = events.find((e) => e.kind === 'missed_dose')?.n ?? 0;
    expect(missed).toBeGreaterThan(0);
    // Twins who dropped out have no observation after their dropout time.
    const late = await scalar<number>(
      db,
      `SELECT count(*)::DOUBLE FROM observation o JOIN event e USING (run_id, twin_id, arm) WHERE e.kind = 'dropout' AND o.time_h > e.time_h AND o.run_id = ${runId}`
    );
    expect(late).toBe(0);
    const primary = rowsOf<{ arm: string; mean: number; missing: number }>(
      await db.query(
        `SELECT arm, avg(value)::DOUBLE AS mean, (count(*) - count(value))::DOUBLE AS missing FROM endpoint WHERE run_id = ${runId} AND endpoint = 'dR' GROUP BY arm`
      )
    );
    const mean = (arm: string) => primary.find((p) => p.arm === arm)!.mean;
    expect(mean('high')).toBeLessThan(mean('low'));
    expect(mean('low')).toBeLessThan(mean('placebo'));
    expect(primary.reduce((a, p) => a + p.missing, 0)).toBe(dropouts);
    // Day-1 exposure: zero exactly for twins who missed the first dose, positive otherwise.
    const auc = rowsOf<{ zero: number; positive: number }>(
      await db.query(
        `SELECT count(*) FILTER (WHERE value = 0)::DOUBLE AS zero, count(*) FILTER (WHERE value > 0)::DOUBLE AS positive ` +
          `FROM endpoint WHERE run_id = ${runId} AND endpoint = 'auc_day1' AND arm = 'low'`
      )
    )[0];
    const missedFirst = await scalar<number>(
      db,
      `SELECT count(*)::DOUBLE FROM event WHERE run_id = ${runId} AND arm = 'low' AND kind = 'missed_dose' AND time_h = 0`
    );
    expect(auc.zero).toBe(missedFirst);
    expect(auc.positive).toBe(100 - missedFirst);
    expect(await scalar(db, `SELECT status FROM run WHERE run_id = ${runId}`)).toBe('complete');
    await db.close();
  });

  it('simulates every twin under every arm in a counterfactual design, with shared baselines', async () => {
    const db = await NodeConnector.open();
    const { runId } = await runTrial({
      db,
      pool: nodeWorkerPool(0),
      protocol: load(
        protocolText(
          (p) => (
            (p.design = 'counterfactual'),
            delete (p as Record<string, unknown>).dropout,
            delete (p as Record<string, unknown>).adherence
          )
        )
      ),
      n: 50
    });
    const differing = await scalar<number>(
      db,
      `SELECT count(*)::DOUBLE FROM (SELECT twin_id, count(DISTINCT value) AS k FROM observation WHERE run_id = ${runId} AND time_h = 0 AND variable = 'R' GROUP BY twin_id) WHERE k > 1`
    );
    expect(differing).toBe(0);
    await db.close();
  });
});

describe('designs and replicates', () => {
  it('runs a 2×2 crossover: every twin gets both arms, one per period, in balanced sequences', async () => {
    const db = await NodeConnector.open();
    const { runId } = await runTrial({
      db,
      pool: nodeWorkerPool(0),
      protocol: load(
        protocolText((p) => {
          p.design = 'crossover';
          p.crossover = { washout: '2w' };
          p.allocation = { method: 'block', blockSize: 4 };
          p.arms = [p.arms[0], p.arms[1]];
          p.schedule.visits = [0, '2w', '4w'];
          delete (p as Record<string, unknown>).dropout;
        })
      ),
      n: 40
    });
    const perTwin = rowsOf<{ arms: string; n: number }>(
      await db.query(
        `SELECT string_agg(arm, '>' ORDER BY t0) AS arms, count(*)::DOUBLE AS n FROM (SELECT twin_id, arm, min(time_h) AS t0 ` +
          `FROM observation WHERE run_id = ${runId} GROUP BY twin_id, arm) GROUP BY twin_id`
      )
    );
    expect(perTwin).toHaveLength(40);
    expect(perTwin.every((t) => t.n === 2)).toBe(true);
    const sequences = perTwin.map((t) => t.arms);
    expect(sequences.filter((s) => s === 'placebo>low')).toHaveLength(20);
    expect(sequences.filter((s) => s === 'low>placebo')).toHaveLength(20);
    // Period 2 starts after the 4-week period and the 2-week washout.
    const starts = rowsOf<{ t: number }>(
      await db.query(
        `SELECT DISTINCT min(time_h) OVER (PARTITION BY twin_id, arm)::DOUBLE AS t FROM observation WHERE run_id = ${runId} ORDER BY t`
      )
    ).map((r) => r.t);
    expect(starts).toEqual([0, 6 * 168]);
    expect(
      await scalar(db, `SELECT count(*)::DOUBLE FROM endpoint WHERE run_id = ${runId} AND endpoint = 'dR'`)
    ).toBe(80);
    await db.close();
  });

  it('stores dense profiles as lists and shows them as the same observation rows, on both engines', async () => {
    // Closed-form PK: a prediction does not depend on the output grid (up to rounding in
    // the propagation between output times), and residual error at the visits and PK
    // samples draws as without a dense grid, so the dense run must contain every row of
    // the visit-only run, and the same endpoints (NCA on the samples, not the grid).
    const crossover = (dense: boolean) =>
      load(
        protocolText((p) => {
          p.design = 'crossover';
          p.crossover = { washout: '1w' };
          p.allocation = { method: 'block', blockSize: 4 };
          p.model = {
            model: 'pk1cmt_oral',
            parameters: { CL: 5, V: 50, KA: 1 },
            iiv: { parameters: ['CL'], omega: [[0.09]] },
            residualError: { C: { type: 'proportional', proportional: 0.2 } }
          } as never;
          p.arms = [
            { name: 'low', regimen: { dose: 50, interval: '24h', duration: '4w' } },
            { name: 'high', regimen: { dose: 100, interval: '24h', duration: '4w' } }
          ];
          p.schedule = { duration: '4w', visits: [0, '2w', '4w'], pkSampling: ['1h', '4h', '24h'] } as never;
          if (dense) (p.schedule as Record<string, unknown>).dense = '6h';
          p.endpoints = [
            { name: 'auc_day1', type: 'pk', metric: 'auc', from: 0, to: '24h', primary: true }
          ] as never;
          p.dropout = { rate: 0.5, per: '4w' };
        })
      );
    const wasm = await openWasmInNode();
    const native = await NodeConnector.open();
    const runs: Record<string, number> = {};
    for (const [name, db, dense] of [
      ['native dense', native, true],
      ['native visits', native, false],
      ['wasm dense', wasm, true]
    ] as const) {
      runs[name] = (await runTrial({ db, pool: nodeWorkerPool(0), protocol: crossover(dense), n: 40 })).runId;
    }
    const dense = runs['native dense'];
    const visits = runs['native visits'];
    // The dense grid: every 6 h over 4 weeks (113 points) plus the PK samples off it (1 h, 4 h).
    const points = await scalar<number>(
      native,
      `SELECT count(DISTINCT time_h)::DOUBLE FROM observation WHERE run_id = ${dense} AND time_h <= 672`
    );
    expect(points).toBe(115);
    // Every visit-only row is in the dense run, with the same value.
    const [{ matched, worst }] = rowsOf<{ matched: number; worst: number }>(
      await native.query(
        `SELECT count(*)::DOUBLE AS matched, max(abs(v.value - d.value) / greatest(abs(v.value), 1e-300))::DOUBLE AS worst ` +
          `FROM observation v JOIN observation d USING (replicate, twin_id, arm, variable, time_h) ` +
          `WHERE v.run_id = ${visits} AND d.run_id = ${dense}`
      )
    );
    expect(worst).toBeLessThan(1e-12);
    const visitRows = await scalar<number>(
      native,
      `SELECT count(*)::DOUBLE FROM observation WHERE run_id = ${visits}`
    );
    expect(visitRows).toBeGreaterThan(200);
    expect(matched).toBe(visitRows);
    const endpoints = rowsOf<{ n: number; worst: number; nullsDiffer: number }>(
      await native.query(
        `SELECT count(*)::DOUBLE AS n, max(abs(v.value - d.value) / greatest(abs(v.value), 1e-300))::DOUBLE AS worst, ` +
          `count(*) FILTER ((v.value IS NULL) <> (d.value IS NULL))::DOUBLE AS nullsDiffer ` +
          `FROM endpoint v JOIN endpoint d USING (replicate, twin_id, arm, endpoint) ` +
          `WHERE v.run_id = ${visits} AND d.run_id = ${dense}`
      )
    )[0];
    expect(endpoints.n).toBe(80);
    expect(endpoints.nullsDiffer).toBe(0);
    expect(endpoints.worst).toBeLessThan(1e-12);
    // Period 2 starts after the period and the washout; nothing is observed after dropout.
    const periodStarts = rowsOf<{ t: number }>(
      await native.query(
        `SELECT DISTINCT min(time_h)::DOUBLE AS t FROM observation WHERE run_id = ${dense} GROUP BY twin_id, arm ORDER BY t`
      )
    ).map((r) => r.t);
    expect(periodStarts).toEqual([0, 5 * 168]);
    const dropouts = await scalar<number>(
      native,
      `SELECT count(*)::DOUBLE FROM event WHERE run_id = ${dense} AND kind = 'dropout'`
    );
    expect(dropouts).toBeGreaterThan(5);
    const after = await scalar<number>(
      native,
      `SELECT count(*)::DOUBLE FROM observation o JOIN event e USING (run_id, twin_id) ` +
        `WHERE e.kind = 'dropout' AND o.time_h > e.time_h AND o.run_id = ${dense}`
    );
    expect(after).toBe(0);
    // duckdb-wasm stores and shows the same rows.
    const [a, b] = await Promise.all([runHash(native, dense), runHash(wasm, runs['wasm dense'])]);
    expect(b).toBe(a);
    await native.close();
    await wasm.close();
  }, 60_000);

  it('allocates by Pocock–Simon minimisation identically with any workers and chunks, balancing the factors', async () => {
    const protocol = load(
      protocolText((p) => {
        p.allocation = { method: 'minimisation', strata: ['sex'], probability: 0.9 } as never;
      })
    );
    const db = await NodeConnector.open();
    const assignments: string[] = [];
    for (const [workers, chunkSize] of [
      [0, 300],
      [2, 37]
    ]) {
      const pool = nodeWorkerPool(workers);
      const { runId } = await runTrial({ db, pool, protocol, chunkSize, n: 300, replicates: 2 });
      pool.terminate();
      assignments.push(
        await scalar<string>(
          db,
          `SELECT string_agg(arm || stratum, ',' ORDER BY replicate, twin_id) FROM assignment WHERE run_id = ${runId}`
        )
      );
    }
    expect(assignments[1]).toBe(assignments[0]);
    // Replicate 0 takes the factor levels from the cohort as it is stored, replicate 1
    // regenerates them: both equal allocating over a freshly generated cohort.
    const plan = compileProtocol(resolveRunProtocol({ protocol, n: 300 }));
    for (const r of [0, 1]) {
      const stored = rowsOf<{ arm: number }>(
        await db.query(
          `SELECT list_position(['placebo', 'low', 'high'], arm) - 1 AS arm FROM assignment ` +
            `WHERE run_id = 1 AND replicate = ${r} ORDER BY twin_id`
        )
      ).map((x) => x.arm);
      expect(stored).toEqual(Array.from(sequentialArms(plan, r, 300).arms));
    }
    // Within each sex the three arms differ by at most a few twins.
    const spread = rowsOf<{ stratum: number; spread: number }>(
      await db.query(
        `SELECT stratum, (max(n) - min(n))::DOUBLE AS spread FROM (SELECT stratum, arm, count(*) AS n FROM assignment ` +
          `WHERE run_id = 1 AND replicate = 0 GROUP BY ALL) GROUP BY stratum`
      )
    );
    expect(spread).toHaveLength(2);
    for (const s of spread) expect(s.spread).toBeLessThanOrEqual(3);
    await db.close();
  });

  it('ends follow-up at a terminal event: nothing is observed after death', async () => {
    const db = await NodeConnector.open();
    const { runId } = await runTrial({
      db,
      pool: nodeWorkerPool(0),
      protocol: load(
        protocolText((p) => {
          delete (p as Record<string, unknown>).dropout;
          p.schedule.visits = [0, '1w', '2w', '3w', '4w'];
          (p.endpoints as unknown[]).push({
            name: 'death',
            type: 'tte',
            terminal: true,
            hazard: { baseline: 'exponential', rate: 0.001 }
          });
        })
      ),
      n: 200
    });
    const deaths = await scalar<number>(
      db,
      `SELECT count(*)::DOUBLE FROM event WHERE run_id = ${runId} AND kind = 'endpoint_event'`
    );
    // P(death within 4 weeks) = 1 − exp(−0.001·672) = 0.4893: binomial(200, 0.4893) has
    // mean 97.9 and SD 7.07. Seeded, so the count is fixed (90); a 4-SD band is one a
    // correct engine meets for all but 1 in 16,000 seeds, and a wrong hazard misses.
    const p = 1 - Math.exp(-0.001 * 672);
    expect(Math.abs(deaths - 200 * p)).toBeLessThan(4 * Math.sqrt(200 * p * (1 - p)));
    const after = await scalar<number>(
      db,
      `SELECT count(*)::DOUBLE FROM observation o JOIN event e USING (run_id, twin_id, arm) WHERE e.kind = 'endpoint_event' AND o.time_h > e.time_h AND o.run_id = ${runId}`
    );
    expect(after).toBe(0);
    const censored = await scalar<number>(
      db,
      `SELECT sum(censored)::DOUBLE FROM endpoint WHERE run_id = ${runId} AND endpoint = 'death'`
    );
    expect(censored).toBe(200 - deaths);
    await db.close();
  });

  it('adds a companion drug effect in combination arms (response additivity)', async () => {
    const db = await NodeConnector.open();
    const { runId } = await runTrial({
      db,
      pool: nodeWorkerPool(0),
      protocol: combinationProtocol((p) => {
        delete (p as Record<string, unknown>).adherence;
        p.model.residualError = { R: { type: 'additive', additive: 2 } } as never;
      }),
      n: 20
    });
    expect(await additivityGap(db, runId)).toBeLessThan(1e-9);
    const effect = await scalar<number>(
      db,
      `SELECT avg(value)::DOUBLE FROM endpoint WHERE run_id = ${runId} AND endpoint = 'dR' AND arm = 'B'`
    );
    const placebo = await scalar<number>(
      db,
      `SELECT avg(value)::DOUBLE FROM endpoint WHERE run_id = ${runId} AND endpoint = 'dR' AND arm = 'placebo'`
    );
    expect(effect).toBeLessThan(placebo - 1);
    await db.close();
  });

  it('a missed dosing occasion skips both drugs of a combination', async () => {
    const combination = (missedDose: number) =>
      combinationProtocol((p) => {
        p.adherence = { missedDose };
        delete (p.model as Record<string, unknown>).residualError;
      });
    const db = await NodeConnector.open();
    const full = (await runTrial({ db, pool: nodeWorkerPool(0), protocol: combination(0), n: 30 })).runId;
    const half = (await runTrial({ db, pool: nodeWorkerPool(0), protocol: combination(0.5), n: 30 })).runId;
    const missed = rowsOf<{ arm: string; n: number }>(
      await db.query(
        `SELECT arm, count(*)::DOUBLE AS n FROM event WHERE run_id = ${half} AND kind = 'missed_dose' GROUP BY arm ORDER BY arm`
      )
    );
    // 29 daily occasions (days 0–28) per twin, each missed with probability 0.5: the share
    // missed of 30 × 29 occasions has SD √(0.25/870) = 0.017; 4 SD (measured 0.4575).
    expect(missed.map((m) => m.arm)).toEqual(['A', 'A+B', 'B']);
    for (const m of missed) expect(Math.abs(m.n / (30 * 29) - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / 870));
    // Both drugs share occasions, and every arm of a twin has the same draws: the
    // combination's effect is still exactly the sum of the single drugs' effects.
    expect(await additivityGap(db, half)).toBeLessThan(1e-9);
    // Drug B alone loses effect when half its doses are missed.
    const effectB = async (runId: number) =>
      scalar<number>(
        db,
        `SELECT (avg(value) FILTER (arm = 'B') - avg(value) FILTER (arm = 'placebo'))::DOUBLE FROM endpoint ` +
          `WHERE run_id = ${runId} AND endpoint = 'dR'`
      );
    const [eFull, eHalf] = [await effectB(full), await effectB(half)];
    // Full adherence, no variability: every twin's effect is SLOPE·C(672 h) of B's 1-cmt
    // oral PK after doses at 0, 24, …, 648 h (the 672 h dose adds nothing yet), in closed
    // form −20 · 20·KA/(V(KA − k)) · Σ (e^(−kτ) − e^(−KA·τ)), k = CL/V = 0.1, τ = 24…672.
    const k = 3 / 30;
    let sum = 0;
    for (let tau = 24; tau <= 672; tau += 24) sum += Math.exp(-k * tau) - Math.exp(-0.8 * tau);
    expect(eFull).toBeCloseTo(-20 * ((20 * 0.8) / (30 * (0.8 - k))) * sum, 9);
    // Half the occasions missed: each twin keeps the doses it took, so the ratio has mean
    // 0.5 and, over 30 twins, SD √(0.25/30 · Σc²/(Σc)²) = 0.083 (c: each dose's share of
    // C(672 h), mostly the last one). 0.2–0.8 is ±3.6 SD (measured 0.476).
    expect(eHalf / eFull).toBeGreaterThan(0.2);
    expect(eHalf / eFull).toBeLessThan(0.8);
    await db.close();
  });

  it('draws population values per replicate when the protocol states their uncertainty', async () => {
    const spread = async (uncertain: boolean) => {
      const db = await NodeConnector.open();
      const protocol = load(
        protocolText((p) => {
          p.design = 'counterfactual';
          delete (p as Record<string, unknown>).dropout;
          delete (p as Record<string, unknown>).adherence;
          if (uncertain) p.uncertainty = { IMAX: 0.5 };
        })
      );
      const { runId } = await runTrial({ db, pool: nodeWorkerPool(0), protocol, n: 40, replicates: 6 });
      const sd = await scalar<number>(
        db,
        `SELECT stddev_samp(m)::DOUBLE FROM (SELECT replicate, avg(value) AS m FROM endpoint WHERE run_id = ${runId} AND arm = 'low' AND endpoint = 'dR' GROUP BY replicate)`
      );
      await db.close();
      return sd;
    };
    expect(await spread(true)).toBeGreaterThan(3 * (await spread(false)));
  });
});

describe('sampling grids', () => {
  it('expand to their times, which NCA and the observations use', () => {
    const protocol = load(
      protocolText((p) => {
        (p.schedule as Record<string, unknown>).pkSampling = { every: '6h', from: '1h', to: '2d' };
      })
    );
    expect(protocol.schedule.pkSampling).toEqual([1, 7, 13, 19, 25, 31, 37, 43]);
    const plan = compileProtocol(protocol);
    expect(Array.from(plan.times)).toEqual([0, 1, 7, 13, 19, 25, 31, 37, 43, 336, 672]);
  });
});

describe('bad protocols are refused with their field and line', () => {
  const issueOf = (mutate: (p: typeof BASE & Record<string, unknown>) => void) => {
    try {
      load(protocolText(mutate));
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      return (e as SpecError).issues[0];
    }
    throw new Error('accepted a bad protocol');
  };

  it.each([
    [
      'unknown model',
      (p: typeof BASE) => (p.model.model = 'pk9cmt'),
      'model.model',
      /unknown model 'pk9cmt'/
    ],
    [
      'unknown parameter',
      (p: typeof BASE) => ((p.model.parameters as Record<string, number>).CLX = 1),
      'model.parameters.CLX',
      /has no parameter 'CLX'/
    ],
    [
      'negative dose',
      (p: typeof BASE) => (p.arms[1].regimen!.dose = -5),
      'arms[1].regimen.dose',
      /must not be negative/
    ],
    [
      'visit after the end',
      (p: typeof BASE) => p.schedule.visits.push('6w'),
      'schedule.visits[3]',
      /after the end of the study \(4w\)/
    ],
    [
      'a sampling grid that ends after the study',
      (p: typeof BASE) => ((p.schedule as Record<string, unknown>).pkSampling = { every: '1d', to: '5w' }),
      'schedule.pkSampling.to',
      /is after the end of the study/
    ],
    ['duplicate arm names', (p: typeof BASE) => (p.arms[2].name = 'low'), 'arms[2].name', /used twice/],
    [
      'zero allocation ratio',
      (p: typeof BASE) => ((p.allocation as Record<string, unknown>).ratio = [1, 0, 1]),
      'allocation.ratio[1]',
      /whole number ≥ 1/
    ],
    [
      'stratification on an unknown covariate',
      (p: typeof BASE) => (p.allocation = { method: 'stratified', strata: ['smoker'] } as never),
      'allocation.strata[0]',
      /'smoker' is not a categorical covariate of the cohort \(categorical: sex\)/
    ],
    [
      'minimisation without factors',
      (p: typeof BASE) => (p.allocation = { method: 'minimisation' } as never),
      'allocation.strata',
      /minimisation allocation needs strata/
    ],
    [
      'a minimisation probability on block allocation',
      (p: typeof BASE) => (p.allocation = { method: 'block', probability: 0.9 } as never),
      'allocation.probability',
      /applies to method: minimisation only/
    ],
    [
      'titration on an unobserved variable',
      (p: typeof BASE) => (p.arms[2].titration![0].if = 'SBP > 140'),
      'arms[2].titration[0].if',
      /not an observed output: 'SBP' \(known: C, R\)/
    ],
    [
      'a combination arm without a companion drug',
      (p: typeof BASE) => ((p.arms[1] as Record<string, unknown>).companion = { dose: 5, interval: '24h' }),
      'arms[1].companion',
      /needs the protocol's companion/
    ],
    [
      'an endpoint visit that is not a visit',
      (p: typeof BASE) => (p.endpoints[0].visit = '3w'),
      'endpoints[0].visit',
      /3w is not a visit/
    ]
  ])('%s', (_label, mutate, path, message) => {
    const issue = issueOf(mutate as (p: typeof BASE) => void);
    const shown = issue.path
      .map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`))
      .join('')
      .replace(/^\./, '');
    expect(shown).toBe(path);
    expect(issue.message).toMatch(message);
    expect(issue.line).toBeGreaterThan(0);
  });
});

describe('failures leave the database consistent', () => {
  it('a twin that fails to integrate fails the run, naming the twin', async () => {
    const db = await NodeConnector.open();
    const protocol = load(
      protocolText((p) => ((p.model as Record<string, unknown>).solver = { maxSteps: 3 }))
    );
    await expect(runTrial({ db, pool: nodeWorkerPool(0), protocol, n: 20 })).rejects.toThrow(
      TwinSimulationError
    );
    const run = rowsOf<{ status: string; error: string }>(await db.query(`SELECT status, error FROM run`))[0];
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/twin 1, arm \w+/);
    expect(await scalar(db, `SELECT count(*)::DOUBLE FROM endpoint`)).toBe(0);
    await db.close();
  });

  it('a percent change from a baseline of 0 fails the run, naming the endpoint and the twin', async () => {
    // C is 0 before the first dose: its percent change would read as missing (or, for a
    // responder, as no response) rather than as the mistake it is
    const db = await NodeConnector.open();
    const protocol = load(
      protocolText((p) =>
        p.endpoints.push({
          name: 'c_rise',
          type: 'responder',
          variable: 'C',
          visit: '4w',
          measure: 'percent_change',
          threshold: 10
        })
      )
    );
    const run = runTrial({ db, pool: nodeWorkerPool(0), protocol, n: 20 });
    await expect(run).rejects.toThrow(TwinSimulationError);
    await expect(run).rejects.toThrow(
      /twin 1, arm \w+, replicate 0: endpoint 'c_rise': the percent change of C from a baseline of 0 is not defined; use measure: change or value/
    );
    const stored = rowsOf<{ status: string; error: string }>(
      await db.query(`SELECT status, error FROM run`)
    )[0];
    expect(stored.status).toBe('failed');
    expect(await scalar(db, `SELECT count(*)::DOUBLE FROM endpoint`)).toBe(0);
    await db.close();
  });

  it('cancelling mid-run marks it cancelled and keeps no result rows', async () => {
    const db = await NodeConnector.open();
    const controller = new AbortController();
    const run = runTrial({
      db,
      pool: nodeWorkerPool(2),
      protocol: load(protocolText()),
      n: 200_000,
      chunkSize: 500,
      signal: controller.signal,
      onProgress: (done) => done > 0 && controller.abort()
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(await scalar(db, `SELECT status FROM run`)).toBe('cancelled');
    // Nothing visible, and nothing left behind in the underlying data tables either.
    for (const t of ['assignment', 'observation', 'event', 'endpoint']) {
      expect(await scalar(db, `SELECT count(*)::DOUBLE FROM ${t}`)).toBe(0);
      expect(await scalar(db, `SELECT count(*)::DOUBLE FROM ${t}_data`)).toBe(0);
    }
    await db.close();
  });

  it('a worker killed mid-run marks the run failed with no rows complete', async () => {
    const db = await NodeConnector.open();
    const threads: Worker[] = [];
    const pool = new WorkerPool(() => spawnNodeWorker((w) => threads.push(w)), 2);
    let killed = false;
    const run = runTrial({
      db,
      pool,
      protocol: load(protocolText()),
      n: 200_000,
      chunkSize: 500,
      onProgress: (done) => {
        if (done > 0 && !killed && threads.length) {
          killed = true;
          void threads[threads.length - 1].terminate();
        }
      }
    });
    await expect(run).rejects.toBeInstanceOf(WorkerDiedError);
    expect(await scalar(db, `SELECT status FROM run`)).toBe('failed');
    expect(await scalar(db, `SELECT count(*)::DOUBLE FROM endpoint`)).toBe(0);
    pool.terminate();
    await db.close();
  });
});
