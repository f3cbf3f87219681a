/**
 * The run page's read-side queries on small runs of shipped protocols made in Node: each
 * aggregate checked against the rows it summarises, read back and computed here by hand
 * (type-7 quantiles as R's quantile(x, c(.05, .5, .95)), counts of twins per arm).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBands } from '../../src/lib/analysis/run-bands';
import { runFlow } from '../../src/lib/analysis/run-flow';
import { observedValues } from '../../src/lib/analysis/run-observed-values';
import { runSpaghetti } from '../../src/lib/analysis/run-spaghetti';
import { runTable1 } from '../../src/lib/analysis/run-table1';
import { runWaterfall } from '../../src/lib/analysis/run-waterfall';
import { runEffectHistograms } from '../../src/lib/analysis/run-effects';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { listRuns, type RunRecord } from '../../src/lib/db/run-store';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';

const shipped = (name: string, edit: (text: string) => string = (t) => t) => {
  const path = resolve('protocols', name);
  return loadProtocol(edit(readFileSync(path, 'utf8')), path, (file) => {
    const full = resolve(dirname(path), file);
    return { text: readFileSync(full, 'utf8'), file: full };
  });
};

/** R's type-7 quantile of sorted x (Hyndman & Fan 1996, definition 7). */
const quantile7 = (x: number[], p: number) => {
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  return x[lo] + (h - lo) * ((x[Math.min(lo + 1, x.length - 1)] ?? x[lo]) - x[lo]);
};

let db: Connector;
let run: RunRecord;

beforeAll(async () => {
  db = await NodeConnector.open();
  const { runId } = await runTrial({
    db,
    pool: nodeWorkerPool(0),
    protocol: shipped('antihypertensive-dose-ranging.yaml'),
    n: 240
  });
  run = (await listRuns(db)).find((r) => r.runId === runId)!;
}, 120_000);
afterAll(() => db.close());

describe('run results', () => {
  it('bands: n, mean and the 5/50/95 % quantiles of the observations at each visit per arm', async () => {
    const bands = await runBands(db, run);
    // Five visits × four arms, one output observed.
    expect(bands).toHaveLength(5 * 4);
    const raw = rowsOf<{ arm: string; time: number; value: number }>(
      await db.query(
        `SELECT CAST(arm AS VARCHAR) AS arm, time_h::DOUBLE AS time, value::DOUBLE AS value FROM observation ` +
          `WHERE run_id = ${run.runId} AND variable = 'E' AND value IS NOT NULL`
      )
    );
    for (const b of bands) {
      // The protocol has no visit windows: every observation is at its nominal time.
      const x = raw
        .filter((r) => r.arm === b.arm && r.time === b.time)
        .map((r) => r.value)
        .sort((p, q) => p - q);
      expect(b.n).toBe(x.length);
      expect(b.p05).toBeCloseTo(quantile7(x, 0.05), 9);
      expect(b.p50).toBeCloseTo(quantile7(x, 0.5), 9);
      expect(b.p95).toBeCloseTo(quantile7(x, 0.95), 9);
      expect(b.mean).toBeCloseTo(x.reduce((s, v) => s + v, 0) / x.length, 9);
    }
    // Dropout: fewer observed at week 12 than at baseline in some arm.
    const at = (t: number) => bands.filter((b) => b.time === t).reduce((s, b) => s + b.n, 0);
    expect(at(0)).toBe(240);
    expect(at(12 * 168)).toBeLessThan(240);
  });

  it('flow: screened and enrolled, per arm randomised, dropped out and analysed (a dropout-only run)', async () => {
    const flow = await runFlow(db, run.runId);
    expect(flow.enrolled).toBe(240);
    expect(flow.screened).toBeGreaterThanOrEqual(240);
    expect(flow.endpoint).toBe('sbp_change_w12');
    expect(flow.arms.map((a) => a.arm)).toEqual(run.arms);
    expect(flow.arms.reduce((s, a) => s + a.randomised, 0)).toBe(240);
    const counts = rowsOf<{ arm: string; dropped: number; analysed: number }>(
      await db.query(
        `SELECT CAST(arm AS VARCHAR) AS arm, count(*) FILTER (WHERE value IS NULL)::DOUBLE AS dropped, ` +
          `count(value)::DOUBLE AS analysed FROM endpoint WHERE run_id = ${run.runId} AND endpoint = 'sbp_change_w12' GROUP BY arm`
      )
    );
    for (const a of flow.arms) {
      const c = counts.find((r) => r.arm === a.arm)!;
      expect(a.analysed).toBe(c.analysed);
      expect(a.discontinued + a.rescued + a.lostToFollowUp + a.died).toBe(0);
      // Every twin without a week-12 value dropped out before it; a few drop out after it.
      expect(a.droppedOut).toBeGreaterThanOrEqual(c.dropped);
      expect(a.completed).toBe(a.randomised - a.droppedOut);
    }
    expect(flow.arms.reduce((s, a) => s + a.droppedOut, 0)).toBeGreaterThan(0);
  });

  it('spaghetti: the same deterministic sample of twins per arm, each in its assigned arm', async () => {
    const points = await runSpaghetti(db, run.runId, 5);
    const twins = [...new Set(points.map((p) => `${p.arm}/${p.twin}`))];
    expect(twins).toHaveLength(5 * 4);
    for (const arm of run.arms) expect(twins.filter((t) => t.startsWith(`${arm}/`))).toHaveLength(5);
    // Not just the first ids: Knuth's hash spreads the sample over the cohort.
    expect(Math.max(...points.map((p) => p.twin))).toBeGreaterThan(60);
    expect(await runSpaghetti(db, run.runId, 5)).toEqual(points);
    const assigned = rowsOf<{ twin: number; arm: string }>(
      await db.query(
        `SELECT twin_id::DOUBLE AS twin, CAST(arm AS VARCHAR) AS arm FROM assignment WHERE run_id = ${run.runId}`
      )
    );
    for (const p of points) expect(assigned.find((a) => a.twin === p.twin)?.arm).toBe(p.arm);
  });

  it('table 1 by arm: one group per arm in protocol order, its size the arm size', async () => {
    const t = (await runTable1(db, run))!;
    const flow = await runFlow(db, run.runId);
    expect(t.groups.map((g) => g.label)).toEqual(run.arms);
    expect(t.groups.map((g) => g.n)).toEqual(flow.arms.map((a) => a.randomised));
    const sbp = t.rows.find((r) => r.name === 'sbp')!;
    expect(sbp.summaries!.reduce((s, x) => s + x.n, 0)).toBe(240);
  });

  it('observed values: one per twin with a value, in its arm', async () => {
    const values = await observedValues(db, run.runId, 0, 'sbp_change_w12');
    const flow = await runFlow(db, run.runId);
    expect(values).toHaveLength(flow.arms.reduce((s, a) => s + a.analysed, 0));
  });

  it('waterfall: a sample per arm of twins with a value, ranked from the largest change', async () => {
    const bars = await runWaterfall(db, run.runId, 'sbp_change_w12', 20);
    const flow = await runFlow(db, run.runId);
    for (const a of flow.arms) {
      const mine = bars.filter((b) => b.arm === a.arm);
      expect(mine).toHaveLength(Math.min(20, a.analysed));
      expect(mine.map((b) => b.rank)).toEqual(mine.map((_, i) => i + 1));
      for (let i = 1; i < mine.length; i++) expect(mine[i].value).toBeLessThanOrEqual(mine[i - 1].value);
    }
    expect((await runWaterfall(db, run.runId, 'sbp_change_w12', 1000)).length).toBe(
      flow.arms.reduce((s, a) => s + a.analysed, 0)
    );
  });

  it('per-twin effects of a counterfactual run: every twin with both values, binned', async () => {
    const { runId } = await runTrial({
      db,
      pool: nodeWorkerPool(0),
      protocol: shipped('antihypertensive-dose-ranging.yaml', (t) =>
        t.replace('design: parallel', 'design: counterfactual').replace(/\ndropout:.*\n/, '\n')
      ),
      n: 60
    });
    const histograms = await runEffectHistograms(db, runId, 'sbp_change_w12', 'placebo', [
      'placebo',
      '2.5 mg',
      '10 mg'
    ]);
    expect(histograms.map((h) => h.arm)).toEqual(['2.5 mg', '10 mg']);
    for (const h of histograms) expect(h.bins.count.reduce((s, c) => s + c, 0)).toBe(60);
    // The effect's mean from the bins' midpoints is within a bin width of the exact mean difference.
    const mean = async (arm: string) =>
      rowsOf<{ m: number }>(
        await db.query(
          `SELECT avg(value)::DOUBLE AS m FROM endpoint WHERE run_id = ${runId} AND endpoint = 'sbp_change_w12' AND arm = '${arm}'`
        )
      )[0].m;
    const exact = (await mean('10 mg')) - (await mean('placebo'));
    const b = histograms[1].bins;
    const binned = b.count.reduce((s, c, i) => s + (c * (b.x1[i] + b.x2[i])) / 2, 0) / 60;
    expect(Math.abs(binned - exact)).toBeLessThanOrEqual(b.x2[0] - b.x1[0]);
    expect(exact).toBeLessThan(0);
  }, 60_000);
});
