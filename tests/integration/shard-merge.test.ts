import { cpSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProtocolFile } from '../../src/cli/protocol-file';
import { powerFingerprint, runFingerprint } from '../../src/lib/analysis/rows-hash';
import { scalar } from '../../src/lib/db/connector';
import { exportWorkspace, importWorkspace } from '../../src/lib/db/workspace-file';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { mergeShards } from '../../src/lib/node/shard/merge-shards';
import { runShard } from '../../src/lib/node/shard/run-shard';
import { ShardError } from '../../src/lib/node/shard/shard-range';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { runPower } from '../../src/lib/runner/power';
import { runPowerShard } from '../../src/lib/node/shard/power-shard';
import { ROOT, tempDir } from '../faults/cli';

/**
 * A trial split into shards and merged equals the same trial run on one machine: every
 * table's rows hash alike (rows-hash.ts: a change of one bit of one value changes it).
 * The protocols cover estimands with their exact true-value sums, replicates, stratified
 * block allocation and minimisation (which look at every earlier twin), and dense profiles.
 */
const CASES = [
  { file: 'protocols/type2-diabetes-estimands.yaml', n: 211, replicates: 2, shards: [1, 3, 7] },
  { file: 'protocols/pediatric-weight-based.yaml', n: 97, shards: [3] },
  { file: 'protocols/antihypertensive-dose-ranging.yaml', n: 130, dense: 24, shards: [7] }
];

const pool = nodeWorkerPool(0);
let dir: string;
beforeAll(() => void (dir = tempDir('shards')));
afterAll(() => {
  pool.terminate();
  rmSync(dir, { recursive: true, force: true });
});

async function singleRun(db: NodeConnector, c: (typeof CASES)[number]) {
  const protocol = await readProtocolFile(join(ROOT, c.file));
  return runTrial({ db, pool, protocol, n: c.n, replicates: c.replicates, dense: c.dense, chunkSize: 50 });
}

async function runShards(out: string, c: (typeof CASES)[number], count: number, only?: number[]) {
  const protocol = await readProtocolFile(join(ROOT, c.file));
  for (let index = 1; index <= count; index++) {
    if (only && !only.includes(index)) continue;
    // another chunk size than the single run's: the rows must not depend on it
    await runShard({
      pool,
      protocol,
      n: c.n,
      replicates: c.replicates,
      dense: c.dense,
      chunkSize: 13,
      shard: { index, count },
      outDir: out
    });
  }
}

describe('twinbench merge of run shards', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.shards.join(', ')} shards merge into the single-machine run's rows`, async () => {
      const single = await NodeConnector.open();
      const { runId } = await singleRun(single, c);
      const want = await runFingerprint(single, runId);
      await single.close();
      const rows = (table: string) => want.find((t) => t.table === table)!.rows;
      expect(rows('twin')).toBe(c.n);
      expect(rows(c.dense ? 'profile_data' : 'observation_data')).toBeGreaterThan(0);
      for (const count of c.shards) {
        const out = join(dir, `${c.file.replace(/\W/g, '_')}-${count}`);
        await runShards(out, c, count);
        const db = await NodeConnector.open();
        // an earlier run in the database: the merged run gets the next ids
        await singleRun(db, { ...c, n: 20 });
        const merged = await mergeShards(db, out);
        expect(merged).toMatchObject({ kind: 'run', id: 2, shards: count, total: c.n });
        expect(await runFingerprint(db, merged.id)).toEqual(want);
        expect(await scalar(db, `SELECT status FROM run WHERE run_id = 2`)).toBe('complete');
        if (count === c.shards[0]) {
          // as the workbench opens it: the database as a workspace file, imported elsewhere
          const browser = await NodeConnector.open();
          await importWorkspace(browser, await exportWorkspace(db));
          expect(await runFingerprint(browser, merged.id)).toEqual(want);
          await browser.close();
        }
        await db.close();
      }
    }, 120_000);
  }

  describe('refuses shards that do not make one whole, and writes nothing', () => {
    const c = CASES[0];
    let out: string;
    beforeAll(async () => {
      out = join(dir, 'bad-base');
      await runShards(out, c, 3);
    }, 60_000);

    /** A copy of the good shards, spoiled, merged into a database that must stay empty. */
    async function refused(spoil: (copy: string) => void | Promise<void>): Promise<string> {
      const copy = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
      cpSync(out, copy, { recursive: true });
      await spoil(copy);
      const db = await NodeConnector.open();
      try {
        const error = await mergeShards(db, copy).then(
          () => null,
          (e: unknown) => e
        );
        expect(error).toBeInstanceOf(ShardError);
        const runs = (await scalar(
          db,
          `SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_name = 'run'`
        ))
          ? await scalar(db, `SELECT count(*)::INTEGER FROM run`)
          : 0;
        expect(runs).toBe(0);
        return (error as Error).message;
      } finally {
        await db.close();
      }
    }

    it('a missing shard is named, with the command to re-run it', async () => {
      const message = await refused((d) => rmSync(join(d, 'manifests', 'shard-2.json')));
      expect(message).toMatch(/shard 2 of 3 has no manifest.*--shard 2\/3/);
    });

    it('a shard of another protocol or seed is foreign', async () => {
      const message = await refused(async (d) => {
        const other = join(dir, 'other-seed');
        const protocol = await readProtocolFile(join(ROOT, c.file));
        await runShard({
          pool,
          protocol,
          n: c.n,
          seed: 99,
          replicates: c.replicates,
          shard: { index: 3, count: 3 },
          outDir: other
        });
        rmSync(join(d, 'manifests', 'shard-3.json'));
        cpSync(join(other, 'manifests', 'shard-3.json'), join(d, 'manifests', 'shard-3.json'));
      });
      expect(message).toMatch(/shard 3 is foreign: its protocol/);
    });

    it('a truncated Parquet file is named', async () => {
      const message = await refused((d) =>
        truncateSync(join(d, 'observation_data', 'shard=2', 'part.parquet'), 100)
      );
      expect(message).toMatch(/shard 2's observation_data file .* cannot be read/);
    });

    it('a changed file (same size, other rows) is found by its hash', async () => {
      const message = await refused((d) =>
        cpSync(
          join(d, 'endpoint_data', 'shard=1', 'part.parquet'),
          join(d, 'endpoint_data', 'shard=3', 'part.parquet')
        )
      );
      expect(message).toMatch(
        /shard 3's endpoint_data file holds .* its manifest: it was changed or cut short; re-run shard 3/
      );
    });

    it('a partition without a manifest, a manifest renamed, a folder with no shards', async () => {
      expect(await refused((d) => mkdirSync(join(d, 'twin', 'shard=9')))).toMatch(
        /twin\/shard=9 belongs to no shard/
      );
      expect(
        await refused((d) => {
          const m = readFileSync(join(d, 'manifests', 'shard-1.json'));
          rmSync(join(d, 'manifests', 'shard-2.json'));
          writeFileSync(join(d, 'manifests', 'shard-2.json'), m);
        })
      ).toMatch(/is the manifest of shard 1, not of shard 2/);
      expect(await refused((d) => rmSync(join(d, 'manifests'), { recursive: true }))).toMatch(
        /no shard manifest/
      );
      expect(
        await refused((d) => writeFileSync(join(d, 'manifests', 'shard-1.json'), '{"format": "x"'))
      ).toMatch(/shard-1.json: not a shard manifest/);
    });

    it('a merge that fails half-way (a covariate of another type in the database) leaves nothing', async () => {
      const db = await NodeConnector.open();
      await db.exec(`CREATE TABLE twin (cohort_id INTEGER NOT NULL, twin_id INTEGER NOT NULL, sex DOUBLE)`);
      await expect(mergeShards(db, out)).rejects.toThrow(/covariate 'sex'/);
      expect(await scalar(db, `SELECT count(*)::INTEGER FROM run`)).toBe(0);
      expect(await scalar(db, `SELECT count(*)::INTEGER FROM cohort`)).toBe(0);
      await db.close();
    });

    it('a shard re-run over a finished one replaces it, and the merge is whole again', async () => {
      const copy = join(dir, 'rerun');
      cpSync(out, copy, { recursive: true });
      truncateSync(join(copy, 'event_data', 'shard=2', 'part.parquet'), 10);
      await runShards(copy, c, 3, [2]);
      const db = await NodeConnector.open();
      expect((await mergeShards(db, copy)).total).toBe(c.n);
      await db.close();
    }, 60_000);
  });
});

/**
 * A power study split into shards of its replicates merges into the study run in one
 * process: its replicate tables hash alike, and so does its summary (power, mean estimates,
 * operating characteristics), made again from the merged rows.
 */
describe('twinbench merge of power shards', () => {
  const POWER_CASES = [
    // operating characteristics: repeated-measures analyses and true estimands per replicate
    {
      file: 'protocols/type2-diabetes-estimands.yaml',
      sizes: [60, 90],
      replicates: 11,
      imputations: 4,
      shards: [1, 3, 7]
    },
    // four arms, Holm-adjusted, success needing an effect of -3 mmHg
    {
      file: 'protocols/antihypertensive-dose-ranging.yaml',
      sizes: [40],
      replicates: 9,
      delta: -3,
      shards: [4]
    }
  ];
  for (const c of POWER_CASES) {
    it(`${c.file}: ${c.shards.join(', ')} shards merge into the single-process study`, async () => {
      const protocol = await readProtocolFile(join(ROOT, c.file));
      const settings = {
        pool,
        protocol,
        sizes: c.sizes,
        replicates: c.replicates,
        imputations: c.imputations,
        delta: c.delta
      };
      const single = await NodeConnector.open();
      const { powerId } = await runPower({ ...settings, db: single, batch: 4 });
      const want = await powerFingerprint(single, powerId!);
      await single.close();
      expect(want[0].rows).toBe(c.sizes.length * c.replicates * (protocol.arms.length - 1));
      for (const count of c.shards) {
        const out = join(dir, `power-${c.file.replace(/\W/g, '_')}-${count}`);
        for (let index = 1; index <= count; index++)
          await runPowerShard({ ...settings, batch: 3, shard: { index, count }, outDir: out });
        const db = await NodeConnector.open();
        const merged = await mergeShards(db, out);
        expect(merged).toMatchObject({ kind: 'power', id: 1, shards: count, total: c.replicates });
        expect(await powerFingerprint(db, 1)).toEqual(want);
        await db.close();
      }
    }, 300_000);
  }

  it('refuses --precision and --target-power, which decide on every replicate', async () => {
    const protocol = await readProtocolFile(join(ROOT, POWER_CASES[1].file));
    await expect(
      runPower({ pool, protocol, sizes: [40], replicates: 10, precision: 0.05, part: { first: 0, count: 5 } })
    ).rejects.toThrow(/--precision decides on every replicate; it cannot be split into shards/);
  });

  it('refuses to merge a run shard with power shards', async () => {
    const out = join(dir, 'mixed');
    const protocol = await readProtocolFile(join(ROOT, POWER_CASES[1].file));
    await runPowerShard({
      pool,
      protocol,
      sizes: [40],
      replicates: 4,
      shard: { index: 1, count: 2 },
      outDir: out
    });
    await runShard({ pool, protocol, n: 40, shard: { index: 2, count: 2 }, outDir: out });
    const db = await NodeConnector.open();
    await expect(mergeShards(db, out)).rejects.toThrow(
      /shard 2 is foreign: its kind of work \(run\) differs from shard 1's \(power\)/
    );
    await db.close();
  });
});
