import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runPower, wilson } from '../../src/lib/runner/power';
import { loadProtocol } from '../../src/lib/load/load-protocol';

/**
 * A trial whose endpoint is exactly normal: the value of E at the end is the twin's
 * own y0 ~ N(0, 10²) plus the drug's full effect (EC50 is negligible), with no residual
 * error; so each replicate is a two-sample comparison of normal means and its power is
 * power.t.test's.
 */
const protocol = (delta: number) =>
  loadProtocol(
    stringify({
      name: 'normal endpoint',
      seed: 5,
      cohort: {
        spec: {
          name: 'plain normal',
          covariates: [{ name: 'y0', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 10 } }]
        }
      },
      model: { model: 'pk1cmt_iv+emax', parameters: { CL: 1, V: 10, EMAX: delta, EC50: 1e-9 } },
      individual: { E0: 'y0' },
      arms: [
        { name: 'placebo', placebo: true },
        { name: 'active', regimen: { dose: 100, interval: '24h', duration: '1w' } }
      ],
      allocation: { method: 'block', blockSize: 2 },
      schedule: { duration: '1w', visits: [0, '1w'] },
      endpoints: [
        { name: 'y', type: 'continuous', variable: 'E', visit: '1w', measure: 'value', primary: true }
      ]
    }),
    'normal.yaml',
    () => {
      throw new Error('inline cohort');
    }
  );

describe('power by replicate trials', () => {
  it('matches power.t.test for a plain normal endpoint within Monte Carlo error', async () => {
    const pool = nodeWorkerPool(2);
    const M = 600;
    const result = await runPower({ pool, protocol: protocol(8), sizes: [40], replicates: M });
    pool.terminate();
    // R 4.2: power.t.test(n = 20, delta = 8, sd = 10)$power = 0.6933994443 (per-group n = 40 / 2).
    const expected = 0.6933994443;
    const got = result.sizes[0].arms[0].power;
    // Replicates are independent: the estimated power is binomial(M, power) / M; 4 SE.
    expect(Math.abs(got - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / M));
    // Each replicate's estimate has SE √(10²/20 + 10²/20); their mean over M replicates 4 SE.
    const meanSe = Math.sqrt((100 / 20 + 100 / 20) / M);
    expect(Math.abs(result.sizes[0].arms[0].meanEstimate - 8)).toBeLessThan(4 * meanSe);
  }, 120_000);

  it('is deterministic per (seed, replicate), stores every replicate, and finds a sample size', async () => {
    const db = await NodeConnector.open();
    const run = async (workers: number) => {
      const pool = nodeWorkerPool(workers);
      const r = await runPower({
        db,
        pool,
        protocol: protocol(5),
        sizes: [40, 160],
        replicates: 100,
        delta: 3,
        targetPower: 0.8,
        batch: 7
      });
      pool.terminate();
      return r;
    };
    const a = await run(1);
    const b = await run(2);
    expect(b.sizes).toEqual(a.sizes);
    // R: power.t.test(delta = 5, sd = 10, power = 0.8) gives n = 63.8 per group, 128 in all.
    // Each size's power comes from 100 replicates (SE 0.04 near 0.8), and near 128 the power
    // rises by 0.0034 per twin (0.761 at 116, 0.801 at 128), so one SE moves the crossing
    // the bisection finds by about 12 twins: 100–160 is about ±2.5 of those (measured 117).
    expect(a.sampleSize!.n).toBeGreaterThan(100);
    expect(a.sampleSize!.n).toBeLessThan(160);
    const stored = await scalar<number>(
      db,
      `SELECT count(*)::DOUBLE FROM power_replicate WHERE power_id = ${a.powerId}`
    );
    expect(stored).toBe(a.sizes.reduce((s, x) => s + x.replicates, 0));
    const failed = rowsOf<{ n: number }>(
      await db.query(
        `SELECT count(*)::DOUBLE AS n FROM power_replicate WHERE power_id = ${a.powerId} AND NOT significant AND n = 160`
      )
    )[0].n;
    expect(failed).toBe(Math.round(100 * (1 - a.sizes.find((s) => s.n === 160)!.arms[0].power)));
    // Success needs significance and an estimate of at least delta.
    const s40 = a.sizes.find((s) => s.n === 40)!.arms[0];
    expect(s40.probabilityOfSuccess).toBeLessThanOrEqual(s40.power);
    await db.close();
  }, 240_000);

  it('stops a size early once the Monte Carlo interval is narrow enough', async () => {
    const pool = nodeWorkerPool(1);
    const r = await runPower({
      pool,
      protocol: protocol(20),
      sizes: [40],
      replicates: 2000,
      precision: 0.02,
      batch: 50
    });
    pool.terminate();
    // Power ≈ 1 here, so a few waves give a half-width below 0.02.
    expect(r.sizes[0].replicates).toBeLessThan(2000);
    const [lo, hi] = wilson(
      Math.round(r.sizes[0].arms[0].power * r.sizes[0].replicates),
      r.sizes[0].replicates
    );
    expect((hi - lo) / 2).toBeLessThan(0.02);
  }, 120_000);

  it('computes Wilson intervals as R prop.test(correct = FALSE) does', () => {
    // R: prop.test(30, 100, correct = FALSE)$conf.int = 0.2189489 0.3958485
    const [lo, hi] = wilson(30, 100);
    expect(lo).toBeCloseTo(0.2189489, 6);
    expect(hi).toBeCloseTo(0.3958485, 6);
  });
});
