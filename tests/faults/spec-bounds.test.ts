import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_REPLICATES, MAX_TWINS } from '../../src/lib/spec/limits';
import { tempDir, twinbench } from './cli';
import { SMALL_COHORT, smallProtocol } from './spec-fixtures';

/**
 * Inputs that validated and then exhausted the machine: a regimen with a dose every
 * 0.0001 min (4–5 GB in seconds, Ctrl-C ignored with --workers 0), observation grids
 * too large to hold, and twin counts beyond what the database stores. Each is refused
 * before anything runs, with the computed size and the limit.
 */

const dir = tempDir('spec-bounds');
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const protocolFile = write('small.yaml', smallProtocol());
const cohortFile = write('cohort.yaml', SMALL_COHORT);

describe('work a protocol implies', () => {
  it('a dose every 0.0001 min is refused with the dose count and the limit; run writes nothing', () => {
    const file = write(
      'tiny-interval.yaml',
      smallProtocol((y) => y.replace('interval: 24h', 'interval: 0.0001min'))
    );
    const v = twinbench(['validate', file]);
    expect(v.code, v.stderr).toBe(2);
    expect(v.stderr).toMatch(
      /line \d+: arms\[1\]\.regimen\.interval: a dose every 0h for 4w is 403,200,000 doses per twin; at most 10,000\n$/
    );

    const db = join(dir, 'tiny-interval.duckdb');
    const started = performance.now();
    const r = twinbench(['run', file, '--db', db, '--workers', '0']);
    expect(r.code, r.stderr).toBe(2);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(existsSync(db)).toBe(false);
  });

  it('an explicit dose count above the limit', () => {
    const file = write(
      'many-doses.yaml',
      smallProtocol((y) => y.replace('interval: 24h, duration: 4w', 'interval: 1min, doses: 20000'))
    );
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/arms\[1\]\.regimen\.doses: 20,000 doses per twin; at most 10,000/);
  });

  it('a dense grid under every arm of a counterfactual design: values per twin', () => {
    const arms = Array.from({ length: 8 }, (_, k) =>
      k === 0
        ? '  - { name: placebo, placebo: true }'
        : `  - { name: dose${k}, regimen: { dose: ${k}, interval: 24h } }`
    );
    const file = write(
      'dense.yaml',
      smallProtocol((y) =>
        y
          .replace(/arms:\n[\s\S]*?schedule:/, `design: counterfactual\narms:\n${arms.join('\n')}\nschedule:`)
          .replace('duration: 4w\n', 'duration: 4w\n  dense: 0.5min\n')
      )
    );
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /schedule\.dense: 80,641 observation times × 2 model outputs × 8 arms = 1,290,256 values per twin; at most 1,000,000/
    );
  });

  it('twins × replicates × values per twin above what a run may store', () => {
    const r = twinbench([
      'run',
      protocolFile,
      '--db',
      join(dir, 'big.duckdb'),
      '--n',
      String(MAX_TWINS),
      '--replicates',
      String(MAX_REPLICATES)
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /replicates: 100,000,000 twins × 100,000 replicates × 6 values per twin = 60,000,000,000,000 values to store; a run may store at most 10,000,000,000/
    );
  });
});

describe('twin counts and other numbers given on the command line', () => {
  it.each([
    ['cohort', cohortFile, '--n', '100000001'],
    ['cohort', cohortFile, '--n', '1e15'],
    ['run', protocolFile, '--n', '100000001'],
    ['cohort', cohortFile, '--chunk-size', '1e9'],
    ['run', protocolFile, '--replicates', '100001'],
    ['power', protocolFile, '--n', '100,100000001']
  ])('%s %s %s %s is refused by the option', (cmd, file, option, value) => {
    const r = twinbench([cmd, file, option, value, '--db', join(dir, 'options.duckdb')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${option}.* at most [\\d,]+`));
    expect(existsSync(join(dir, 'options.duckdb'))).toBe(false);
  });

  it('cohort.n in a protocol above the limit names the field', () => {
    const file = write(
      'big-n.yaml',
      smallProtocol((y) => y.replace('    n: 40', '    n: 1000000000'))
    );
    const r = twinbench(['validate', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/line 7: cohort\.spec\.n: .*100000000/);
  });

  it('a protocol within the limits still runs', () => {
    const r = twinbench(['run', protocolFile, '--db', join(dir, 'ok.duckdb'), '--workers', '0', '--n', '20']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/run 1 complete/);
  });
});
