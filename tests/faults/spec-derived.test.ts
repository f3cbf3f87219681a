import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { tempDir, twinbench } from './cli';
import { SMALL_COHORT, smallProtocol } from './spec-fixtures';

/**
 * Covariates that are not finite numbers (`weight / 0`, `log(-weight)`, a distribution
 * that overflows) were stored as a complete cohort, and Table 1 then failed with a raw
 * DuckDB error. A non-finite value in a twin is a spec mistake: an error naming the
 * covariate, the twin and the values it was computed from, exit 2. When the first
 * twins show it, nothing is written; when a later twin does, the cohort is marked
 * failed with no twins. Either way the database takes a valid cohort next.
 */

const dir = tempDir('spec-derived');
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const goodCohort = write('good.yaml', SMALL_COHORT);

interface DbState {
  cohorts: string;
  twins: number;
  stages: number;
  errors: string;
}

async function dbState(path: string): Promise<DbState> {
  const db = await NodeConnector.open(path);
  try {
    const [tables] = rowsOf<{ n: number }>(
      await db.query(`SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name = 'cohort'`)
    );
    // a database opened by a command that then wrote nothing has no tables yet
    if (tables.n === 0) return { cohorts: '', twins: 0, stages: 0, errors: '' };
    const [c] = rowsOf<{ s: string | null; e: string | null }>(
      await db.query(
        `SELECT string_agg(status, ',' ORDER BY cohort_id) AS s, string_agg(error, ' | ') AS e FROM cohort`
      )
    );
    const [t] = rowsOf<{ n: number }>(await db.query(`SELECT count(*)::INT AS n FROM twin`));
    const [s] = rowsOf<{ n: number }>(
      await db.query(`SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name LIKE 'twin_stage_%'`)
    );
    return { cohorts: c.s ?? '', twins: t.n, stages: s.n, errors: c.e ?? '' };
  } finally {
    await db.close();
  }
}

/** A valid cohort on the same database succeeds afterwards and is stored complete. */
async function nextCohortSucceeds(db: string, before: string) {
  const r = twinbench(['cohort', goodCohort, '--db', db, '--workers', '0']);
  expect(r.code, r.stderr).toBe(0);
  const after = await dbState(db);
  expect(after.cohorts).toBe(before ? `${before},complete` : 'complete');
  expect(after.twins).toBe(40);
}

const withDerived = (expr: string, extra = '') =>
  SMALL_COHORT + `derived:\n  - { name: bad, expr: '${expr}' }\n${extra}`;

describe('derived covariates that are not finite', () => {
  it.each([
    ['weight / 0', /twin 1: derived covariate 'bad' is Infinity \(from weight = [\d.]+\)/],
    ['log(-weight)', /twin 1: derived covariate 'bad' is not a number \(NaN\) \(from weight = -?[\d.]+\)/]
  ])('%s: refused from the first twin, nothing written', async (expr, message) => {
    const file = write(`derived-${expr.replace(/\W+/g, '')}.yaml`, withDerived(expr));
    const db = join(dir, `first-${expr.replace(/\W+/g, '')}.duckdb`);
    const r = twinbench(['cohort', file, '--db', db]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/a derived value must be a finite number/);
    expect(r.stderr).not.toMatch(/DuckDB|Conversion Error|please report/);
    expect(await dbState(db)).toEqual({ cohorts: '', twins: 0, stages: 0, errors: '' });
    await nextCohortSucceeds(db, '');
  });

  it('a rare bad twin found while generating: the cohort is marked failed, with no twins', async () => {
    // log(105 - weight) is NaN when weight > 105: 1 twin in ~4,300 of N(70, 10).
    const file = write(
      'derived-rare.yaml',
      withDerived('log(105 - weight)').replace('n: 40', 'n: 20000').replace('seed: 11', 'seed: 3')
    );
    const db = join(dir, 'rare.duckdb');
    const r = twinbench(['cohort', file, '--db', db, '--workers', '0']);
    expect(r.code, r.stderr).toBe(2);
    const m = /twin (\d+): derived covariate 'bad' is not a number \(NaN\) \(from weight = 10[5-9]\.\d*/.exec(
      r.stderr
    );
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(200); // beyond the first twins checked up front
    const state = await dbState(db);
    expect(state).toMatchObject({ cohorts: 'failed', twins: 0, stages: 0 });
    expect(state.errors).toMatch(/derived covariate 'bad' is not a number/);
    await nextCohortSucceeds(db, 'failed');
  });

  it('a sampled covariate whose distribution overflows is refused too', async () => {
    const file = write(
      'overflow.yaml',
      SMALL_COHORT +
        `  - { name: huge, type: continuous, distribution: { kind: lognormal, meanlog: 709, sdlog: 1 } }\n`
    );
    const r = twinbench(['cohort', file, '--workers', '0']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/twin \d+: covariate 'huge' is Infinity; check its distribution/);
  });

  it('a trial whose cohort has a bad derived value fails with the same message', async () => {
    const file = write(
      'trial.yaml',
      smallProtocol((y) =>
        y.replace('model:', `    derived:\n      - { name: bad, expr: 'weight / 0' }\nmodel:`)
      )
    );
    const db = join(dir, 'trial.duckdb');
    const r = twinbench(['run', file, '--db', db]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/twin 1: derived covariate 'bad' is Infinity \(from weight = [\d.]+\)/);
    const ok = twinbench(['run', write('trial-ok.yaml', smallProtocol()), '--db', db, '--workers', '0']);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
