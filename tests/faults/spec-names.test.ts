import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { rowsOf } from '../../src/lib/db/connector';
import { tempDir, twinbench } from './cli';
import { SMALL_COHORT, smallProtocol } from './spec-fixtures';

/**
 * Names that become keys must be unique: two endpoints named alike were accepted and
 * `analyze` then pooled their values into one comparison. Every such name is refused
 * by validate (and by run, before anything is written), naming both lines.
 */

const dir = tempDir('spec-names');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('duplicate names', () => {
  const text = smallProtocol((y) => y.replace('name: responder', 'name: e_change'));
  const file = join(dir, 'dup-endpoints.yaml');
  writeFileSync(file, text);
  const first = lineOf(text, '- { name: e_change, type: continuous');
  const second = lineOf(text, '- { name: e_change, type: responder');

  it('validate names the repeated endpoint and both lines', () => {
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(
      `error: ${file}:line ${second}: endpoints[1].name: 'e_change' is used twice; endpoint names must be unique ` +
        `(also at endpoints[0].name, line ${first})`
    );
  });

  it('run refuses before writing anything, and a valid run on the same database then succeeds', async () => {
    const db = join(dir, 'runs.duckdb');
    const refused = twinbench(['run', file, '--db', db, '--workers', '0']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/'e_change' is used twice/);
    expect(existsSync(db)).toBe(false);

    const good = join(dir, 'good.yaml');
    writeFileSync(good, smallProtocol());
    const ok = twinbench(['run', good, '--db', db, '--workers', '0']);
    expect(ok.code, ok.stderr).toBe(0);
    const conn = await NodeConnector.open(db);
    try {
      const [runs] = rowsOf<{ n: number; s: string }>(
        await conn.query(`SELECT count(*)::INT AS n, string_agg(status, ',') AS s FROM run`)
      );
      expect(runs).toEqual({ n: 1, s: 'complete' });
      const [names] = rowsOf<{ n: number }>(
        await conn.query(`SELECT count(DISTINCT endpoint)::INT AS n FROM endpoint`)
      );
      expect(names.n).toBe(2);
    } finally {
      await conn.close();
    }
  });

  it('a repeated covariate name in a cohort names both lines', () => {
    const cohort =
      SMALL_COHORT +
      `  - { name: weight, type: continuous, distribution: { kind: normal, mean: 1, sd: 1 } }\n`;
    const cohortFile = join(dir, 'dup-covariates.yaml');
    writeFileSync(cohortFile, cohort);
    const r = twinbench(['cohort', cohortFile]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `line 7: covariates[2].name: 'weight' is used twice; covariate names must be unique (also at covariates[1].name, line 6)`
    );
  });

  it('a key given twice in a nested map names both lines', () => {
    const text2 = smallProtocol((y) => y.replace('KA: 0.3,', 'KA: 0.3,\n    CL: 30,'));
    const file2 = join(dir, 'dup-key.yaml');
    writeFileSync(file2, text2);
    const r = twinbench(['validate', file2]);
    expect(r.code, r.stderr).toBe(2);
    const at = lineOf(text2, 'CL: 30');
    expect(r.stderr.trim()).toBe(
      `error: ${file2}:line ${at}: model.parameters.CL: the key 'CL' is given twice (first on line ${at - 1})`
    );
  });
});
