// Operating characteristics in runPower against truths known in closed form: an endpoint whose
// value at every visit after the first dose is the twin's own y0 plus the drug's full effect
// delta (EC50 negligible) plus additive residual error, with dropout completely at random. The
// true effect of every estimand is then delta exactly (no intercurrent event changes the
// course), the MMRM and MI are unbiased and their CIs cover it at the nominal rate, and under
// the null scenario the true effect is 0 and the rejection rate is the type I error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { PowerInputError, runPower } from '../../src/lib/runner/power';
import type { OperatingCharacteristic } from '../../src/lib/analysis/operating-characteristics';

const DELTA = 4;

const spec = (extra: Record<string, unknown> = {}) =>
  stringify({
    name: 'repeated normal endpoint',
    seed: 11,
    cohort: {
      spec: {
        name: 'plain normal',
        covariates: [{ name: 'y0', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 6 } }]
      }
    },
    model: {
      model: 'pk1cmt_iv+emax',
      parameters: { CL: 1, V: 10, EMAX: DELTA, EC50: 1e-9 },
      residualError: { E: { type: 'additive', additive: 4 } }
    },
    individual: { E0: 'y0' },
    arms: [
      { name: 'placebo', placebo: true },
      { name: 'active', regimen: { dose: 100, interval: '24h', duration: '3w' } }
    ],
    allocation: { method: 'block', blockSize: 2 },
    schedule: { duration: '3w', visits: [0, '1w', '2w', '3w'] },
    endpoints: [
      {
        name: 'y',
        type: 'continuous',
        variable: 'E',
        visit: '3w',
        measure: 'change',
        primary: true,
        estimands: ['treatment_policy', 'hypothetical']
      }
    ],
    dropout: { rate: 0.3, per: '3w' },
    ...extra
  });

const protocol = (extra: Record<string, unknown> = {}) =>
  loadProtocol(spec(extra), 'repeated.yaml', () => {
    throw new Error('inline cohort');
  });

const row = (rows: OperatingCharacteristic[], analysis: string, estimand: string) =>
  rows.find((r) => r.analysis === analysis && r.estimand === estimand)!;

describe('operating characteristics by replicate trials', () => {
  it('true value delta exactly; MMRM and MI unbiased with nominal coverage; rows stored', async () => {
    const db = await NodeConnector.open(':memory:');
    const pool = nodeWorkerPool(2);
    const M = 120;
    const r = await runPower({
      db,
      pool,
      protocol: protocol(),
      sizes: [60],
      replicates: M,
      imputations: 5,
      analyses: ['mmrm', 'mi_mar', 'completers']
    });
    pool.terminate();
    expect(r.analyses?.estimands).toEqual(['treatment_policy', 'hypothetical']);
    const oc = r.sizes[0].operating!;
    expect(oc).toHaveLength(3 * 2);
    for (const o of oc) {
      // EMAX·C/(EC50 + C) with EC50 = 1e-9 and C ≳ 0.5 mg/L: delta to about 1e-8
      expect(o.trueValue).toBeCloseTo(DELTA, 7);
      expect(o.estimable).toBe(M);
      // unbiased: |bias| within 4 Monte Carlo SEs
      expect(Math.abs(o.bias!)).toBeLessThan(4 * o.biasMcse!);
      // coverage: binomial(M, 0.95) / M within 4 SEs
      expect(Math.abs(o.coverage! - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / M));
      // the model SE estimates the spread of the estimates (within 25 %)
      expect(Math.abs(o.meanModelSe! / o.empiricalSe! - 1)).toBeLessThan(0.25);
    }
    expect(row(oc, 'mmrm', 'hypothetical').label).toBe('MMRM (unstructured, REML, Satterthwaite df)');
    expect(await scalar<number>(db, 'SELECT count(*)::DOUBLE FROM power_analysis')).toBe(M * 3);
    expect(await scalar<number>(db, 'SELECT count(*)::DOUBLE FROM power_truth')).toBe(M * 2);
    expect(
      await scalar<number>(
        db,
        "SELECT max(abs(true_effect - 4)) FROM power_truth WHERE estimand = 'hypothetical'"
      )
    ).toBeLessThan(1e-7);
    await db.close();
  }, 300_000);

  it('the null scenario: true value 0, rejection rate the type I error; identical with 0 and 2 workers', async () => {
    const M = 120;
    const run = async (workers: number) => {
      const pool = nodeWorkerPool(workers);
      try {
        return await runPower({
          pool,
          protocol: protocol(),
          sizes: [60],
          replicates: M,
          analyses: ['mmrm', 'locf'],
          nullScenario: true
        });
      } finally {
        pool.terminate();
      }
    };
    const r = await run(2);
    expect(r.nullScenario).toBe(true);
    const mmrm = row(r.sizes[0].operating!, 'mmrm', 'hypothetical');
    expect(mmrm.trueValue).toBe(0);
    expect(Math.abs(mmrm.rejectionRate - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / M));
    const inProcess = await run(0);
    expect(inProcess.sizes[0].operating).toEqual(r.sizes[0].operating);
  }, 300_000);

  it('without estimands, --analyses still reports estimates and power, with no true value', async () => {
    const p = protocol();
    p.endpoints[0] = { ...p.endpoints[0], estimands: undefined } as (typeof p.endpoints)[0];
    const pool = nodeWorkerPool(0);
    const r = await runPower({ pool, protocol: p, sizes: [40], replicates: 3, analyses: ['completers'] });
    pool.terminate();
    const o = r.sizes[0].operating![0];
    expect(o.estimand).toBeNull();
    expect(o.trueValue).toBeNull();
    expect(o.bias).toBeNull();
    expect(o.meanEstimate).not.toBeNull();
  }, 120_000);

  it('refuses analyses it cannot repeat: the tipping point, a primary endpoint that is not continuous', async () => {
    const pool = nodeWorkerPool(0);
    await expect(
      runPower({ pool, protocol: protocol(), sizes: [40], replicates: 2, analyses: ['tipping_point'] })
    ).rejects.toThrow(PowerInputError);
    const responder = protocol();
    responder.endpoints[0] = {
      name: 'y',
      type: 'responder',
      variable: 'E',
      visit: 504,
      measure: 'change',
      threshold: 1,
      direction: 'above',
      primary: true
    } as (typeof responder.endpoints)[0];
    await expect(
      runPower({ pool, protocol: responder, sizes: [40], replicates: 2, analyses: ['mmrm'] })
    ).rejects.toThrow(/need a continuous primary endpoint; y is responder/);
    pool.terminate();
  }, 120_000);
});

describe('twinbench power: operating characteristics from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinbench-oc-'));
  const file = join(dir, 'repeated.yaml');
  writeFileSync(file, spec());
  const CLI = new URL('../../src/cli/twinbench.js', import.meta.url).pathname;
  const power = (...args: string[]) => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'power', file, '--n', '40', '--replicates', '4', '--workers', '0', ...args],
      {
        encoding: 'utf8',
        timeout: 120_000
      }
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints the table, with the type I error under --null', () => {
    const r = power('--analyses', 'mmrm,completers', '--imputations', '5', '--null');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('operating characteristics of each analysis');
    expect(r.stdout).toContain('type I error (p < 0.05)');
    expect(r.stdout).toMatch(/MMRM \(unstructured, REML, Satterthwaite df\)\s+active\s+treatment_policy/);
    expect(r.stdout).not.toContain('NaN');
  }, 120_000);

  it('refuses an analysis it does not know or cannot repeat (exit 2)', () => {
    const bad = power('--analyses', 'mmrm,mice');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'mice' is not an analysis; choose from mmrm/);
    const tipping = power('--analyses', 'tipping_point');
    expect(tipping.code).toBe(2);
    expect(tipping.stderr).toMatch(/tipping_point is a sensitivity analysis of one dataset/);
  }, 120_000);
});
