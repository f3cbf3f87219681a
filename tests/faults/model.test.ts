/**
 * `twinbench model check` and `twinbench model simulate` as a user runs them: exit 0 with
 * a summary or a profile; exit 2 with one exact `file:line:col: message` line per
 * problem of the model, or one message naming the bad option or file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, twinbench } from './cli';
import { maxRelativeDifference } from '../helpers/relative-difference';

const dir = tempDir('model');
const EXAMPLE = 'tests/unit/model-language/models/pk2cmt_oral_idr1.model';
const DECAY = `model decay
parameters
  K = 0.1 [1/h] "elimination rate"
states
  A [mg] "amount"
odes
  d/dt(A) = -K * A
outputs
  Y = A / 2 [mg]
`;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('twinbench model check', () => {
  it('summarises a valid model (exit 0)', () => {
    const r = twinbench(['model', 'check', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'model pk2cmt_oral_idr1: Two-compartment oral PK with an indirect response, type I'
    );
    expect(r.stdout).toContain('states (1): R [mmHg]');
    expect(r.stdout).toContain('outputs (2): CP [mg/L], SBP [mmHg]');
    expect(r.stdout).toContain('solver: closed-form pk2cmt_oral PK with the states integrated');
  });

  it('prints one file:line:col line per problem, and nothing else (exit 2)', () => {
    const bad = file(
      'bad.model',
      DECAY.replace('-K * A', '-KK * A + process').replace('Y = A / 2 [mg]', 'Y = A / 2 [mg] ~ gaussian(1)')
    );
    const r = twinbench(['model', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${bad}:7:14: unknown name 'KK'`,
      `${bad}:7:23: unknown name 'process'`,
      `${bad}:9:20: unknown error model 'gaussian' (additive, proportional, combined or exponential)`
    ]);
  });

  it('refuses a missing file, a folder and a file above 1 MB, before reading it (exit 2)', () => {
    const missing = twinbench(['model', 'check', join(dir, 'nope.model')]);
    expect([missing.code, missing.stderr]).toEqual([2, `error: ${join(dir, 'nope.model')}: no such file\n`]);
    const folder = join(dir, 'folder.model');
    mkdirSync(folder, { recursive: true });
    const f = twinbench(['model', 'check', folder]);
    expect([f.code, f.stderr]).toEqual([2, `error: ${folder}: is a directory, not a model file\n`]);
    const big = file('big.model', DECAY + '#'.repeat(5 * 1024 * 1024));
    const b = twinbench(['model', 'check', big]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/:1:1: the model is 524\d+ bytes; at most 1048576 are read/);
  });
});

describe('twinbench model simulate', () => {
  it('prints time, outputs, then states in declaration order (exit 0)', () => {
    const decay = file('decay.model', DECAY);
    const r = twinbench(['model', 'simulate', decay, '--dose', '100@0', '--times', '0:12:24']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('time,Y,A');
    // An observation at a dose time is pre-dose (the engine's rule).
    expect(rows.map((l) => l.split(',').map(Number))).toEqual([
      [0, 0, 0],
      [12, expect.closeTo(50 * Math.exp(-1.2), 5), expect.closeTo(100 * Math.exp(-1.2), 5)],
      [24, expect.closeTo(50 * Math.exp(-2.4), 5), expect.closeTo(100 * Math.exp(-2.4), 5)]
    ]);
  });

  it('takes parameter values, dose targets, infusions and times with units', () => {
    const r = twinbench([
      'model',
      'simulate',
      EXAMPLE,
      '--param',
      'CL=10',
      '--dose',
      '100@0:central/1h',
      '--dose',
      '50@1d',
      '--times',
      '0:12h:2d',
      '--format',
      'table'
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('time\tCP\tSBP\tR');
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['time', '0', '12', '24', '36', '48']);
  });

  it.each([
    [
      ['--param', 'CLX=1'],
      "error: --param: the model has no parameter 'CLX' (parameters: CL, V1, Q, V2, KA, F1, R0, KOUT, IMAX, IC50)"
    ],
    [['--param', 'CL=abc'], "error: --param: 'abc' for CL is not a number"],
    [['--dose', '100@0:gut'], "error: --dose: the model has no dose target 'gut' (targets: depot, central)"],
    [
      ['--dose', '100'],
      "error: --dose: '100' must be AMOUNT@TIME[:TARGET][/DURATION], such as 100@0, 100@24h:central or 500@0/1h"
    ],
    [['--times', '0:0:24'], "error: --times: '0:0:24' needs STEP > 0 and TO ≥ FROM"],
    [
      ['--times', '0:1e-9:1e9'],
      "error: --times: '0:1e-9:1e9' must be FROM:STEP:TO, such as 0:0.5:24 (hours)"
    ],
    [['--times', '0:0.001:1000'], "error: --times: '0:0.001:1000' gives 1000001 times; at most 100000"],
    [['--format', 'json'], "error: --format must be csv or table, not 'json'"]
  ])('refuses %j with one message (exit 2)', (args, message) => {
    const r = twinbench(['model', 'simulate', EXAMPLE, ...args]);
    expect([r.code, r.stderr.trimEnd()]).toEqual([2, message]);
  });
});

describe('twinbench model simulate: values that are not finite', () => {
  it('names the statement that first gives one (exit 2)', () => {
    const model = file('log.model', DECAY.replace('Y = A / 2 [mg]', 'Y = A / 2 [mg]\n  L = log(A - 5)'));
    const r = twinbench(['model', 'simulate', model, '--dose', '10@0', '--times', '4:4:24']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`error: ${model}:10:7: output 'L' is NaN at t=8 h (L is NaN at t=8 h)\n`);
  });

  it('names the intermediate that stops the solver, or the pk when C is not finite', () => {
    const at0 = ['--dose', '100@4', '--times', '0:4:24'];
    const ic50 = twinbench(['model', 'simulate', EXAMPLE, '--param', 'IC50=0', ...at0]);
    expect(ic50.code).toBe(2);
    expect(ic50.stderr).toMatch(
      new RegExp(`^error: ${EXAMPLE}:37:16: 'inhibition' is NaN at t=0 h \\(ODE solver stopped`)
    );
    const v1 = twinbench(['model', 'simulate', EXAMPLE, '--param', 'V1=0', ...at0]);
    expect(v1.code).toBe(2);
    expect(v1.stderr).toMatch(
      new RegExp(
        `^error: ${EXAMPLE}:31:1: the concentration C is NaN at t=0 h: check the pk arguments' values`
      )
    );
  });
});

describe('a protocol carrying a model text', () => {
  const text = readFileSync(join(ROOT, 'models/pk1cmt_oral_emax.model'), 'utf8');
  const yaml = readFileSync(join(ROOT, 'protocols/antihypertensive-dose-ranging.yaml'), 'utf8').replace(
    '../cohorts/',
    join(ROOT, 'cohorts/')
  );
  const fileLine = '  model: { file: ../models/pk1cmt_oral_emax.model }\n';
  // The library model the text restates is the reference.
  const shipped = file('library-model.yaml', yaml.replace(fileLine, '  model: pk1cmt_oral+emax\n'));
  const protocol = file(
    'text-model.yaml',
    yaml.replace(fileLine, `  model:\n    text: |\n${text.replace(/^(?=.)/gm, '      ')}\n`)
  );

  it('twinbench simulate prints what the library model prints', () => {
    const library = twinbench(['simulate', shipped, '--twins', '1,2,3']);
    const withText = twinbench(['simulate', protocol, '--twins', '1,2,3']);
    expect(withText.stderr).toBe('');
    expect([withText.code, withText.stdout]).toEqual([0, library.stdout]);
  });

  it('twinbench run in a worker thread gives the results of the library model', () => {
    // The first line names the run, its timing and the database.
    const summary = (r: { stdout: string }) => r.stdout.trimEnd().split('\n').slice(1);
    const library = twinbench([
      'run',
      shipped,
      '--n',
      '40',
      '--workers',
      '1',
      '--db',
      join(dir, 'library.duckdb')
    ]);
    const withText = twinbench([
      'run',
      protocol,
      '--n',
      '40',
      '--workers',
      '1',
      '--db',
      join(dir, 'text.duckdb')
    ]);
    expect(withText.code).toBe(0);
    expect(summary(withText)).toHaveLength(8);
    expect(summary(withText)).toEqual(summary(library));
  });

  it('BM1 (a cohort of imported twins) predicts the same through models/pk2cmt_oral_idr1.model', () => {
    const shippedBm1 = readFileSync(join(ROOT, 'protocols/bm1.yaml'), 'utf8').replace(
      '../cohorts/',
      join(ROOT, 'cohorts/')
    );
    const fileLine = '  model: { file: ../models/pk2cmt_oral_idr1.model }\n';
    const bm1 = file('bm1-library.yaml', shippedBm1.replace(fileLine, '  model: pk2cmt_oral+idr1\n'));
    const model = readFileSync(join(ROOT, 'models/pk2cmt_oral_idr1.model'), 'utf8');
    const changed = file(
      'bm1-text.yaml',
      shippedBm1.replace(fileLine, `  model:\n    text: |\n${model.replace(/^(?=.)/gm, '      ')}\n`)
    );
    const library = twinbench(['simulate', bm1, '--twins', '1,500']);
    const withText = twinbench(['simulate', changed, '--twins', '1,500']);
    expect(withText.stderr).toBe('');
    expect(withText.code).toBe(0);
    const values = (r: { stdout: string }) =>
      r.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .flatMap((l) => l.split(',').map(Number));
    expect(library.stdout.split('\n')[0]).toBe(withText.stdout.split('\n')[0]);
    expect(maxRelativeDifference(values(withText), values(library), 1e-9)).toBeLessThan(1e-9);
  });
});
