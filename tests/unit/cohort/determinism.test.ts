import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCohort, generateCohortChunk } from '../../../src/lib/engine/cohort';
import { cohortSpec, type CohortSpec } from '../../../src/lib/spec/cohort-schema';
import { NodeConnector } from '../../../src/lib/db/node-connector';
import { ensureSchema } from '../../../src/lib/db/schema';
import { rowsOf, scalar } from '../../../src/lib/db/connector';
import { generateCohort, CohortError } from '../../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../../src/lib/runner/node-workers';
import { normalCdf } from '../../../src/lib/engine/rng/normal';

/**
 * The determinism contract (DESIGN.md): twin i of seed s is the same twin whatever N,
 * chunk size or number of workers. Checked on the engine directly and end to end
 * through generateCohort into an in-memory DuckDB.
 */

const spec: CohortSpec = cohortSpec.parse({
  name: 'determinism',
  seed: 17,
  n: 10_000,
  covariates: [
    { name: 'sex', type: 'categorical', levels: { F: 0.5, M: 0.5 } },
    {
      name: 'age',
      type: 'continuous',
      distribution: { kind: 'truncnormal', mean: 50, sd: 15, lower: 18, upper: 90 }
    },
    {
      name: 'weight',
      type: 'continuous',
      by: 'sex',
      distribution: {
        F: { kind: 'lognormal', median: 70, cv: 0.2 },
        M: { kind: 'lognormal', median: 85, cv: 0.2 }
      },
      decimals: 1
    },
    { name: 'scr', type: 'continuous', distribution: { kind: 'lognormal', median: 0.9, cv: 0.3 } },
    { name: 'smoker', type: 'binary', p: 0.2 },
    { name: 'age_band', type: 'band', of: 'age', breaks: [40, 65], labels: ['<40', '40-64', '65+'] }
  ],
  correlations: [
    {
      variables: ['age', 'weight', 'scr'],
      matrix: [
        [1, 0.1, 0.3],
        [0.1, 1, 0.2],
        [0.3, 0.2, 1]
      ]
    }
  ],
  derived: [{ name: 'egfr', formula: 'egfr_ckd_epi_2021' }],
  // rejects about a quarter of candidates, so screening retries are exercised too
  criteria: ['egfr >= 60', "age_band != '<40' or smoker == 0"]
});

describe('determinism of the engine', () => {
  const plan = compileCohort(spec);

  it('twins 1..100 are identical whether N is 100 or 10,000', () => {
    const small = generateCohortChunk(plan, spec.seed, 1, 100);
    const large = generateCohortChunk(plan, spec.seed, 1, 10_000);
    for (let c = 0; c < plan.columns.length; c++) {
      const same = Buffer.from(small.columns[c].buffer).equals(Buffer.from(large.columns[c].buffer, 0, 800));
      expect(same, plan.columns[c].name).toBe(true);
    }
    expect(large.screened).toBeGreaterThan(10_000 * 1.1); // screening really rejected some
  });

  it('a chunk starting mid-cohort reproduces the same twins', () => {
    const whole = generateCohortChunk(plan, spec.seed, 1, 3000);
    const tail = generateCohortChunk(plan, spec.seed, 1234, 1767);
    for (let c = 0; c < plan.columns.length; c++) {
      const same = Buffer.from(tail.columns[c].buffer).equals(Buffer.from(whole.columns[c].buffer, 1233 * 8));
      expect(same, plan.columns[c].name).toBe(true);
    }
  });

  it('another seed gives other twins', () => {
    const a = generateCohortChunk(plan, 17, 1, 50);
    const b = generateCohortChunk(plan, 18, 1, 50);
    const age = plan.columns.findIndex((c) => c.name === 'age');
    expect(Buffer.from(a.columns[age].buffer).equals(Buffer.from(b.columns[age].buffer))).toBe(false);
  });
});

describe('determinism through generateCohort and DuckDB', () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(async () => {
    await db.close();
  });

  /** SHA-256 of the cohort's twins as ordered rows: twin_id and every column's value bits. */
  async function digest(
    cohortId: number,
    limit = spec.n
  ): Promise<{ hash: string; rows: number; ids: number[] }> {
    const cols = spec.covariates.map((c) => c.name).concat(spec.derived.map((d) => d.name));
    const table = await db.query(
      `SELECT twin_id, ${cols.map((c) => `"${c}"`).join(', ')} FROM twin WHERE cohort_id = ${cohortId} AND twin_id <= ${limit} ORDER BY twin_id`
    );
    const hash = createHash('sha256');
    const ids: number[] = [];
    const columns = table.schema.fields.map((_, i) => table.getChildAt(i)!);
    const bits = new Float64Array(1);
    for (let r = 0; r < table.numRows; r++) {
      for (const col of columns) {
        const v = col.get(r) as unknown;
        if (typeof v === 'number') {
          bits[0] = v;
          hash.update(Buffer.from(bits.buffer));
        } else hash.update(`${String(v)}\u0000`);
      }
      ids.push(Number(columns[0].get(r)));
    }
    return { hash: hash.digest('hex'), rows: table.numRows, ids };
  }

  async function run(workers: number, chunkSize: number, n = spec.n) {
    const pool = nodeWorkerPool(workers);
    try {
      const { cohortId, screening } = await generateCohort({ db, pool, spec, n, chunkSize });
      return { ...(await digest(cohortId)), screening, cohortId };
    } finally {
      pool.terminate();
    }
  }

  it('gives identical twins with 0, 1 and 2 workers and chunk sizes 7, 1000 and 50,000', async () => {
    const reference = await run(0, 1000);
    expect(reference.rows).toBe(spec.n);
    expect(reference.ids).toEqual(Array.from({ length: spec.n }, (_, i) => i + 1));
    expect(reference.screening.enrolled).toBe(spec.n);

    const engine = generateCohortChunk(compileCohort(spec), spec.seed, 1, spec.n);
    expect(reference.screening.screened).toBe(engine.screened);

    // Chunks of 7 cost one DuckDB append each, so they run on the first 2,000 twins
    // (which, by the contract, are the reference's first 2,000).
    for (const [workers, chunkSize, n] of [
      [0, 7, 2000],
      [0, 50_000, spec.n],
      [1, 1000, spec.n],
      [2, 1000, spec.n],
      [2, 7, 2000]
    ]) {
      const other = await run(workers, chunkSize, n);
      const want =
        n === spec.n ? reference : { ...(await digest(reference.cohortId, n)), screening: undefined };
      const label = `${workers} workers, chunks of ${chunkSize}, N = ${n}`;
      expect(other.rows, label).toBe(n);
      expect(other.hash, label).toBe(want.hash);
      if (n === spec.n) expect(other.screening, label).toEqual(reference.screening);
    }
  }, 60_000);

  it('stores the engine’s values exactly, with level names for categorical columns', async () => {
    const { cohortId } = await generateCohort({ db, pool: nodeWorkerPool(0), spec, n: 100, chunkSize: 30 });
    const rows = rowsOf<Record<string, number | string>>(
      await db.query(`SELECT * FROM twin WHERE cohort_id = ${cohortId} ORDER BY twin_id`)
    );
    const plan = compileCohort(spec);
    const engine = generateCohortChunk(plan, spec.seed, 1, 100);
    expect(rows.map((r) => r.twin_id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    plan.columns.forEach((col, c) => {
      const stored = rows.map((r) => r[col.name]);
      const want = Array.from(engine.columns[c], (v) => (col.levels ? col.levels[v] : v));
      expect(stored, col.name).toEqual(want);
    });
    // and the first 100 twins of the 10,000-twin cohort are these twins
    const first = await db.query(
      `SELECT age FROM twin WHERE cohort_id = 1 AND twin_id <= 100 ORDER BY twin_id`
    );
    const age = plan.columns.findIndex((c) => c.name === 'age');
    expect(Float64Array.from(first.getChildAt(0)!.toArray() as ArrayLike<number>)).toEqual(
      engine.columns[age]
    );
  });
});

describe('an N that cannot be reached', () => {
  it('is refused quickly, giving the observed rate, and leaves no cohort marked complete', async () => {
    const db = await NodeConnector.open();
    try {
      // P(x > 3.29) = 1 − Φ(3.29) = 0.000501 (R: pnorm(3.29, lower.tail=FALSE) = 0.00050106),
      // below the default minAcceptance of 0.001.
      const rare = cohortSpec.parse({
        name: 'rare',
        seed: 3,
        n: 1_000_000,
        covariates: [{ name: 'x', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 1 } }],
        criteria: [{ name: 'far tail', expr: 'x > 3.29' }]
      });
      const started = performance.now();
      let error: unknown;
      try {
        await generateCohort({ db, pool: nodeWorkerPool(0), spec: rare });
      } catch (e) {
        error = e;
      }
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(CohortError);
      const message = (error as Error).message;
      expect(message).toMatch(/N=1000000 cannot be reached/);
      expect(message).toMatch(/'far tail' fails/);
      expect(message).toMatch(/minAcceptance 0\.1%/);
      const m = /only (\d+) of (\d+) candidates \(([\d.]+)%\)/.exec(message);
      expect(m, message).not.toBeNull();
      const [accepted, draws, percent] = [Number(m![1]), Number(m![2]), Number(m![3])];
      expect(percent).toBeCloseTo((100 * accepted) / draws, 2);
      const p = normalCdf(-3.29);
      expect(Math.abs(accepted / draws - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws));
      expect(elapsed).toBeLessThan(3000);

      await ensureSchema(db); // the tables exist even if generation stopped before creating them
      expect(await scalar<number>(db, `SELECT count(*)::DOUBLE FROM cohort WHERE status = 'complete'`)).toBe(
        0
      );
      expect(await scalar<number>(db, `SELECT count(*)::DOUBLE FROM twin`)).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('accepts the same criteria once minAcceptance allows them', async () => {
    const db = await NodeConnector.open();
    try {
      const rare = cohortSpec.parse({
        name: 'rare but allowed',
        seed: 3,
        n: 20,
        covariates: [{ name: 'x', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 1 } }],
        criteria: ['x > 3.29'],
        screening: { minAcceptance: 0.0002 }
      });
      const { screening } = await generateCohort({ db, pool: nodeWorkerPool(0), spec: rare });
      expect(screening.enrolled).toBe(20);
      expect(await scalar<number>(db, `SELECT min(x) FROM twin`)).toBeGreaterThan(3.29);
      expect(await scalar<string>(db, `SELECT status FROM cohort`)).toBe('complete');
    } finally {
      await db.close();
    }
  });
});
