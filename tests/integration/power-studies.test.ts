import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/analysis/compare';
import {
  listPowerStudies,
  loadPowerStudy,
  powerEstimateBins,
  powerReplicates,
  powerReplicateTable,
  powerSizeTable
} from '../../src/lib/analysis/power-studies';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { deletePower } from '../../src/lib/db/power-store';
import { replicateSeed } from '../../src/lib/engine/trial';
import { tableToCsv } from '../../src/lib/io/table-export';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runPower, type PowerResult } from '../../src/lib/runner/power';
import { runTrial } from '../../src/lib/runner/run-trial';
import { shippedProtocol } from '../helpers/shipped-protocol';

const protocol = shippedProtocol('antihypertensive-dose-ranging.yaml');
const SIZES = [40, 80];
const R = 6;

let db: Connector;
let result: PowerResult;

beforeAll(async () => {
  db = await NodeConnector.open();
  const pool = nodeWorkerPool(0);
  result = await runPower({ db, pool, protocol, sizes: SIZES, replicates: R, batch: 4 });
  pool.terminate();
}, 120_000);
afterAll(() => db.close());

describe('stored power studies', () => {
  it('lists nothing and writes nothing in a workspace without power studies', async () => {
    const empty = await NodeConnector.open();
    expect(await listPowerStudies(empty)).toEqual([]);
    const tables = rowsOf(await empty.query(`SELECT table_name FROM information_schema.tables`));
    expect(tables).toEqual([]);
    await expect(loadPowerStudy(empty, 1)).rejects.toThrow('no power study #1 in this workspace');
    await empty.close();
  });

  it('lists a study with its sizes, replicates, method and status, and loads its result as it ran', async () => {
    const [study] = await listPowerStudies(db);
    expect(study).toMatchObject({
      powerId: result.powerId,
      name: protocol.name,
      sizes: SIZES,
      replicates: R,
      method: 'welch_t',
      alpha: 0.05,
      delta: null,
      status: 'complete'
    });
    const loaded = await loadPowerStudy(db, result.powerId!);
    expect(loaded.result.sizes).toEqual(result.sizes);
    expect(loaded.seed).toBe(protocol.seed);
  });

  it("pages a size's replicates in replicate and arm order, counted, and bins their estimates", async () => {
    const arms = result.sizes[0].arms.map((a) => a.arm);
    const all = await powerReplicates(db, result.powerId!, 80, { limit: 1000 });
    expect(all.total).toBe(R * arms.length);
    expect(all.rows.map((r) => [r.replicate, r.arm])).toEqual(
      Array.from({ length: R }, (_, r) => [...arms].sort().map((a) => [r, a])).flat()
    );
    // The mean of the stored estimates is the size's mean estimate of the summary.
    for (const a of result.sizes[1].arms) {
      const own = all.rows.filter((r) => r.arm === a.arm).map((r) => r.estimate!);
      expect(own.reduce((s, x) => s + x, 0) / own.length).toBeCloseTo(a.meanEstimate, 12);
      const bins = await powerEstimateBins(db, result.powerId!, 80, a.arm);
      expect(bins.count.reduce((s, x) => s + x, 0)).toBe(R);
      expect(bins.x1[0]).toBe(Math.min(...own));
    }
    const page = await powerReplicates(db, result.powerId!, 80, { offset: 5, limit: 4 });
    expect(page.total).toBe(all.total);
    expect(page.rows).toEqual(all.rows.slice(5, 9));
    // within a replicate, the arms in the order given (the protocol's)
    const ordered = await powerReplicates(db, result.powerId!, 80, { limit: arms.length, arms });
    expect(ordered.rows.map((r) => r.arm)).toEqual(arms);
    expect(arms).not.toEqual([...arms].sort());
  });

  it('exports the per-size table and the replicate rows as CSV', async () => {
    const sizesCsv = tableToCsv(powerSizeTable(result.sizes, R)).trim().split('\n');
    expect(sizesCsv[0]).toBe(
      'n,replicates,partial,arm,power,ci_low,ci_high,probability_of_success,mean_estimate'
    );
    const arms = result.sizes[0].arms;
    expect(sizesCsv).toHaveLength(1 + SIZES.length * arms.length);
    expect(sizesCsv[1]).toBe(
      [
        40,
        R,
        false,
        arms[0].arm,
        arms[0].power,
        arms[0].ciLow,
        arms[0].ciHigh,
        arms[0].probabilityOfSuccess,
        arms[0].meanEstimate
      ].join(',')
    );
    // A size cut short by a cancel is marked partial.
    const partial = tableToCsv(powerSizeTable([{ ...result.sizes[0], replicates: 2 }], R));
    expect(partial.split('\n')[1].split(',')[2]).toBe('true');
    const replicates = tableToCsv(await powerReplicateTable(db, result.powerId!))
      .trim()
      .split('\n');
    expect(replicates[0]).toBe(
      'n,replicate,arm,estimate,ci_low,ci_high,p_value,p_adjusted,significant,success'
    );
    expect(replicates).toHaveLength(1 + SIZES.length * R * arms.length);
  });

  it('replicate r of size n is the run with seed replicateSeed(seed, r) and n twins: the same estimate', async () => {
    const r = 3;
    const n = 80;
    const stored = (await powerReplicates(db, result.powerId!, n, { limit: 1000 })).rows.filter(
      (x) => x.replicate === r
    );
    const pool = nodeWorkerPool(0);
    const { runId } = await runTrial({
      db,
      pool,
      protocol,
      n,
      seed: replicateSeed(protocol.seed, r),
      replicates: 1
    });
    pool.terminate();
    const primary = protocol.endpoints.find((e) => e.primary)!;
    const comparison = await analyze(
      { db, path: 'test', runId: String(runId) },
      { name: primary.name, type: 'continuous' },
      { control: result.control }
    );
    expect(stored).toHaveLength(result.sizes[0].arms.length);
    for (const s of stored) {
      const row = comparison.comparisons.find((c) => c.method === 'welch_t' && c.arm === s.arm)!;
      expect(row.estimate).toBe(s.estimate);
    }
  }, 60_000);

  it('deletes a study with its replicate rows, leaving the others', async () => {
    const pool = nodeWorkerPool(0);
    const second = await runPower({ db, pool, protocol, sizes: [40], replicates: 2 });
    pool.terminate();
    expect((await listPowerStudies(db)).map((s) => s.powerId)).toEqual([second.powerId, result.powerId]);
    await deletePower(db, second.powerId!);
    const ids = (await listPowerStudies(db)).map((s) => s.powerId);
    expect(ids).toEqual([result.powerId]);
    const left = rowsOf<{ n: number }>(
      await db.query(`SELECT count(*)::DOUBLE AS n FROM power_replicate WHERE power_id = ${second.powerId}`)
    );
    expect(left[0].n).toBe(0);
    // the deleted study was the newest: its id is not given to the next one
    const again = nodeWorkerPool(0);
    const third = await runPower({ db, pool: again, protocol, sizes: [40], replicates: 2 });
    again.terminate();
    expect(third.powerId).toBe(second.powerId! + 1);
  }, 60_000);
});
