/**
 * Every shipped protocol loads against its cohort, runs to completion at a small N
 * (in-process, in-memory DuckDB) and shows the science it was written for: the active
 * arms beat placebo, tumours shrink on treatment and survival is longer, weight-based
 * dosing hits the exposure target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { rowsOf, type Connector } from '../../../src/lib/db/connector';
import { NodeConnector } from '../../../src/lib/db/node-connector';
import { nodeWorkerPool } from '../../../src/lib/runner/node-workers';
import type { WorkerPool } from '../../../src/lib/runner/pool';
import { runTrial } from '../../../src/lib/runner/run-trial';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { estimandTruth } from '../../../src/lib/analysis/estimand-truth';
import { trialFlow } from '../../../src/lib/analysis/trial-flow';

const N = 200;

function load(file: string) {
  return loadProtocol(readFileSync(file, 'utf8'), file, (p) => {
    const path = resolve(dirname(file), p);
    return { text: readFileSync(path, 'utf8'), file: path };
  });
}

interface Summary {
  arm: string;
  endpoint: string;
  n: number;
  finite: number;
  mean: number;
  median: number;
  sd: number;
  censored: number;
}

let db: Connector;
let pool: WorkerPool;

beforeAll(async () => {
  db = await NodeConnector.open();
  pool = nodeWorkerPool(0);
});
afterAll(async () => {
  pool?.terminate();
  await db?.close();
});

/** Runs a protocol file; returns the run's status and per-arm endpoint summaries. */
async function run(file: string) {
  const protocol = load(file);
  const { runId } = await runTrial({ db, pool, protocol, n: N, chunkSize: 64 });
  const [status] = rowsOf(await db.query(`SELECT status, n_twins FROM run WHERE run_id = ${runId}`));
  const summaries = rowsOf(
    await db.query(
      `SELECT arm, endpoint, count(*)::DOUBLE AS n,
              count(*) FILTER (WHERE isfinite(value))::DOUBLE AS finite,
              avg(value) FILTER (WHERE isfinite(value)) AS mean,
              median(value) FILTER (WHERE isfinite(value)) AS median,
              stddev(value) FILTER (WHERE isfinite(value)) AS sd,
              sum(censored)::DOUBLE AS censored
       FROM endpoint WHERE run_id = ${runId} GROUP BY ALL ORDER BY ALL`
    )
  ) as unknown as Summary[];
  const get = (endpoint: string, arm: string) => {
    const s = summaries.find((x) => x.endpoint === endpoint && x.arm === arm);
    if (!s) throw new Error(`no endpoint ${endpoint} in arm ${arm}`);
    return s;
  };
  return { protocol, runId, status, summaries, get };
}

/** Kaplan–Meier median (time of the first step to S ≤ 0.5), Infinity if not reached. */
async function kmMedian(runId: number, endpoint: string, arm: string): Promise<number> {
  const rows = rowsOf(
    await db.query(
      `SELECT value, censored FROM endpoint WHERE run_id = ${runId} AND endpoint = '${endpoint}'
       AND arm = '${arm}' ORDER BY value, censored`
    )
  ) as unknown as { value: number; censored: number }[];
  let atRisk = rows.length;
  let s = 1;
  for (const r of rows) {
    if (!r.censored) s *= 1 - 1 / atRisk;
    atRisk--;
    if (s <= 0.5) return r.value;
  }
  return Infinity;
}

describe('shipped protocols', () => {
  it('the protocols tested here are shipped', () => {
    const shipped = readdirSync('protocols').filter((f) => f.endsWith('.yaml'));
    expect(shipped).toEqual(
      expect.arrayContaining([
        'antihypertensive-dose-ranging.yaml',
        'oncology-tgi-os.yaml',
        'pediatric-weight-based.yaml',
        'type2-diabetes.yaml'
      ])
    );
  });

  it('antihypertensive-dose-ranging: complete, and 10 mg lowers SBP more than placebo', async () => {
    const r = await run('protocols/antihypertensive-dose-ranging.yaml');
    expect(r.status).toEqual({ status: 'complete', n_twins: N });
    expect(r.protocol.source).toMatch(/Faulkner/);
    for (const arm of ['placebo', '2.5 mg', '5 mg', '10 mg']) {
      const s = r.get('sbp_change_w12', arm);
      expect(s.finite).toBeGreaterThan(0.75 * s.n); // the rest dropped out before week 12
      expect(Number.isFinite(s.mean)).toBe(true);
    }
    const placebo = r.get('sbp_change_w12', 'placebo').mean;
    const high = r.get('sbp_change_w12', '10 mg').mean;
    expect(Math.abs(placebo)).toBeLessThan(4);
    expect(high).toBeLessThan(placebo - 5);
    expect(r.get('responder_w12', '10 mg').mean).toBeGreaterThan(r.get('responder_w12', 'placebo').mean);
  });

  it('type2-diabetes: HbA1c falls on the DPP-4 inhibitor and not on placebo', async () => {
    const r = await run('protocols/type2-diabetes.yaml');
    expect(r.status).toEqual({ status: 'complete', n_twins: N });
    expect(r.protocol.source).toMatch(/de Winter/);
    expect(r.protocol.source).toMatch(/ADAG/);
    for (const arm of ['placebo', '100 mg', '200 mg']) {
      for (const ep of ['hba1c_change_w24', 'hba1c_below_7_w24', 'fpg_change_w24']) {
        const s = r.get(ep, arm);
        expect(s.finite).toBeGreaterThan(0.7 * s.n);
      }
    }
    const placebo = r.get('hba1c_change_w24', 'placebo').mean;
    const high = r.get('hba1c_change_w24', '200 mg').mean;
    // slow progression on placebo; ≈ −0.8 % placebo-subtracted (Aschner 2006)
    expect(placebo).toBeGreaterThan(-0.2);
    expect(placebo).toBeLessThan(0.3);
    expect(high - placebo).toBeLessThan(-0.4);
    expect(high - placebo).toBeGreaterThan(-1.4);
    expect(r.get('hba1c_change_w24', '100 mg').mean).toBeLessThan(placebo - 0.4);
    expect(r.get('fpg_change_w24', '200 mg').mean).toBeLessThan(r.get('fpg_change_w24', 'placebo').mean);
    expect(r.get('hba1c_below_7_w24', '200 mg').mean).toBeGreaterThan(
      r.get('hba1c_below_7_w24', 'placebo').mean
    );
  });

  it('type2-diabetes-estimands: lack of efficacy at week 12, rescue, loss to follow-up; the hypothetical effect exceeds the treatment-policy one', async () => {
    const r = await run('protocols/type2-diabetes-estimands.yaml');
    expect(r.status).toEqual({ status: 'complete', n_twins: N });
    const flow = Object.fromEntries((await trialFlow(db, r.runId)).map((f) => [f.arm, f]));
    // Lack of efficacy and rescue are commoner on placebo, whose HbA1c stays high.
    expect(flow.placebo.discontinuedBy.lack_of_efficacy).toBeGreaterThan(
      flow['200 mg'].discontinuedBy.lack_of_efficacy ?? 0
    );
    expect(flow.placebo.rescued).toBeGreaterThan(flow['200 mg'].rescued);
    for (const f of Object.values(flow)) {
      expect(f.randomised).toBeGreaterThan(60);
      expect(f.lostToFollowUp).toBeLessThanOrEqual(f.discontinued);
      expect(f.completed).toBe(f.randomised - f.droppedOut - f.lostToFollowUp);
    }
    const [weeks] = rowsOf(
      await db.query(
        `SELECT min(time_h) / 168 AS first, max(time_h) / 168 AS last FROM event
         WHERE run_id = ${r.runId} AND kind = 'discontinuation' AND endpoint = 'lack_of_efficacy'`
      )
    );
    expect(weeks).toEqual({ first: 12, last: 12 });
    const truth = await estimandTruth(db, r.runId);
    const effect = (estimand: string, endpoint = 'hba1c_change_w24') =>
      truth.find((t) => t.endpoint === endpoint && t.estimand === estimand && t.arm === '200 mg')!.effect;
    // Rescue lowers placebo's HbA1c more than the drug's: a smaller treatment-policy effect.
    expect(effect('hypothetical')).toBeLessThan(-0.4);
    expect(effect('treatment_policy')).toBeGreaterThan(effect('hypothetical'));
    expect(effect('composite')).toBeGreaterThan(0);
    expect(effect('hypothetical', 'hba1c_below_7_w24')).toBeGreaterThan(0);
  });

  it('oncology-tgi-os: tumours shrink on treatment and grow without; survival is longer', async () => {
    const r = await run('protocols/oncology-tgi-os.yaml');
    expect(r.status).toEqual({ status: 'complete', n_twins: N });
    expect(r.protocol.source).toMatch(/Claret/);
    const arms = ['supportive care', '300 mg/m2', '350 mg/m2'];
    for (const arm of arms) {
      const os = r.get('os', arm);
      expect(os.finite).toBe(os.n);
      expect(os.censored).toBeLessThan(os.n); // deaths happen
      const sld = r.get('sld_pct_change_w12', arm);
      expect(sld.finite).toBeGreaterThan(0.6 * sld.n);
    }
    expect(r.get('sld_pct_change_w12', 'supportive care').median).toBeGreaterThan(5);
    expect(r.get('sld_pct_change_w12', '350 mg/m2').median).toBeLessThan(0);
    expect(r.get('partial_response_w12', '350 mg/m2').mean).toBeGreaterThan(
      r.get('partial_response_w12', 'supportive care').mean
    );
    // Kaplan–Meier medians: ≈ 6.5 months on supportive care, longer on treatment
    const bsc = await kmMedian(r.runId, 'os', 'supportive care');
    const treated = await kmMedian(r.runId, 'os', '350 mg/m2');
    const month = 730.5;
    expect(bsc / month).toBeGreaterThan(4);
    expect(bsc / month).toBeLessThan(10);
    expect(treated).toBeGreaterThan(bsc);
  });

  it('pediatric-weight-based: 15 mg/kg q6h puts the median AUC24 near the 400–600 target, with less spread than a fixed dose', async () => {
    const r = await run('protocols/pediatric-weight-based.yaml');
    expect(r.status).toEqual({ status: 'complete', n_twins: N });
    expect(r.protocol.source).toMatch(/Anderson BJ, Holford NHG/);
    for (const arm of ['15 mg/kg q6h', '250 mg q6h'])
      for (const ep of ['auc24_ss', 'ctrough_ss', 'cmax_ss']) {
        const s = r.get(ep, arm);
        expect(s.finite).toBe(s.n);
        expect(s.mean).toBeGreaterThan(0);
      }
    const perKg = r.get('auc24_ss', '15 mg/kg q6h');
    const fixed = r.get('auc24_ss', '250 mg q6h');
    // typical child: AUC24 = 60·WT / (0.248·WT^0.75) ≈ 240·WT^0.25 ≈ 400–700 mg·h/L
    expect(perKg.median).toBeGreaterThan(400);
    expect(perKg.median).toBeLessThan(650);
    expect(fixed.sd / fixed.mean).toBeGreaterThan(perKg.sd / perKg.mean);
    // in the fixed arm exposure falls with weight; the per-kg arm makes it grow only as WT^0.25
    const [corr] = rowsOf(
      await db.query(
        `SELECT corr(e.value, t.weight) AS fixed_corr FROM endpoint e
         JOIN run r USING (run_id) JOIN twin t ON t.cohort_id = r.cohort_id AND t.twin_id = e.twin_id
         WHERE e.run_id = ${r.runId} AND e.endpoint = 'auc24_ss' AND e.arm = '250 mg q6h'`
      )
    );
    expect(corr.fixed_corr as number).toBeLessThan(-0.3);
  });
});
