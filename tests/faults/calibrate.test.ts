// `twinbench calibrate` refusing what it cannot fit (exit 2, one clear message, nothing stored)
// and stopped by a signal mid-run (exit 128 + n, the calibration marked cancelled and its rows
// deleted) or killed (the next command marks it interrupted and deletes its rows).
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { simulatePatientData } from '../bench/calibrateSetup';
import { tempDir, twinbench, twinbenchInterrupted, type CliResult } from './cli';

const MODEL = 'tests/bench/pk2cmt_oral_calibrate.model';
const dir = tempDir('calibrate-faults');
const many = join(dir, 'many.csv');
const few = join(dir, 'few.csv');

beforeAll(() => {
  const model = { model: { file: MODEL, text: readFileSync(MODEL, 'utf8') } };
  writeFileSync(many, simulatePatientData(model, { n: 1500, seed: 1 }).csv);
  writeFileSync(few, simulatePatientData(model, { n: 3, seed: 1 }).csv);
});

/** Exit 2 with `message` on stderr, one problem per line, no stack trace and no report request. */
function expectRefused(r: CliResult, message: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/please report|\n\s+at |NaN/);
}

/** The calibrations a database holds and its fit and observation rows, read without recovery. */
async function stored(path: string) {
  const db = await NodeConnector.open(path);
  try {
    const tables = rowsOf<{ t: string }>(
      await db.query(`SELECT table_name AS t FROM information_schema.tables`)
    ).map((r) => r.t);
    if (!tables.includes('calibration')) return { calibrations: [], fits: 0, observations: 0 };
    const n = (t: string) => scalar<number>(db, `SELECT count(*)::DOUBLE FROM ${t}`);
    return {
      calibrations: rowsOf<{ status: string; error: string | null }>(
        await db.query(`SELECT status, error FROM calibration ORDER BY calibration_id`)
      ),
      fits: await n('calibration_fit'),
      observations: await n('calibration_observation')
    };
  } finally {
    await db.close();
  }
}

describe('calibrate refuses what it cannot fit', () => {
  it('bad data: every problem with its line and column, exit 2, nothing stored', async () => {
    const bad = join(dir, 'unsorted.csv');
    writeFileSync(
      bad,
      'ID,TIME,AMT,DV,EVID,CMT\n1,0,100,.,1,depot\n1,4,0,1.2,0,C\n1,2,0,1.5,0,C\n2,0,,.,1,depot\n2,1,0,abc,0,C\n'
    );
    const path = join(dir, 'bad-data.duckdb');
    const r = twinbench(['calibrate', bad, '--model', MODEL, '--db', path, '--workers', '0']);
    expectRefused(
      r,
      /unsorted\.csv: row 3 \(line 4\): column 'TIME' is 2, before the previous time 4 of ID 1/
    );
    expect(r.stderr).toMatch(
      /unsorted\.csv: row 4 \(line 5\): column 'AMT' is empty; a dose needs an amount > 0/
    );
    expect(r.stderr).toMatch(
      /unsorted\.csv: row 5 \(line 6\): column 'DV' holds 'abc', which is not a number/
    );
    expect((await stored(path)).calibrations).toEqual([]);
  });

  it('a missing data file and a data file of an unknown type', () => {
    expectRefused(
      twinbench(['calibrate', join(dir, 'nowhere.csv'), '--model', MODEL]),
      /nowhere\.csv: .*(no such file|does not exist)/i
    );
    const txt = join(dir, 'data.txt');
    writeFileSync(txt, 'ID,TIME,DV\n');
    expectRefused(
      twinbench(['calibrate', txt, '--model', MODEL]),
      /data\.txt: unknown file type; use a \.csv or \.parquet file/
    );
  });

  it('a model without between-subject variability', () => {
    expectRefused(
      twinbench(['calibrate', few, '--model', 'models/pk2cmt_oral.model']),
      /^error: model pk2cmt_oral has no between-subject variability/m
    );
  });

  it('a model without residual error', () => {
    const file = join(dir, 'no-error.model');
    writeFileSync(file, readFileSync(MODEL, 'utf8').replace(/ ~ combined\([^)]*\)/, ''));
    expectRefused(
      twinbench(['calibrate', few, '--model', file]),
      /has no residual error on any output \(outputs: C\)/
    );
  });

  it('a --model file that is neither a model nor a protocol, and an --out of an unknown type', () => {
    const file = join(dir, 'model.txt');
    writeFileSync(file, readFileSync(MODEL, 'utf8'));
    expectRefused(
      twinbench(['calibrate', few, '--model', file]),
      /--model .*model\.txt: unknown file type '\.txt'; use a model file \(\.model\) or a protocol \(\.yaml, \.yml\)/
    );
    expectRefused(
      twinbench(['calibrate', few, '--model', MODEL, '--out', join(dir, 'fits.json')]),
      /fits\.json: unknown file type; use a \.csv or \.parquet file/
    );
  });

  it('data without a covariate the model needs', () => {
    expectRefused(
      twinbench(['calibrate', few, '--model', 'tests/golden/calibration/pk2cmt_oral_map.model']),
      /no column WT for the covariate the model needs/
    );
  });
});

/**
 * Calibrates 1,500 patients into `path` and sends `signal` about two seconds after the
 * fits began (a harmless SIGWINCH first), once patients are being stored. With the SIR
 * cross-check the run takes 10–40 s on one worker, so the signal lands mid-run on a fast
 * machine as on a loaded one (MAP alone can finish 1,500 patients in under 2 s).
 */
function interruptedCalibration(path: string, signal: NodeJS.Signals): Promise<CliResult> {
  return twinbenchInterrupted(
    ['calibrate', many, '--model', MODEL, '--db', path, '--workers', '1', '--chunk-size', '10', '--sir'],
    /patients: 0 of 1500/,
    ['SIGWINCH', signal],
    { gapMs: 2000 }
  );
}

describe('calibrate stopped mid-run', () => {
  it('Ctrl-C: exit 130, the calibration marked cancelled, none of its rows kept', async () => {
    const path = join(dir, 'sigint.duckdb');
    const r = await interruptedCalibration(path, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^cancelled$/m);
    expect(await stored(path)).toEqual({
      calibrations: [{ status: 'cancelled', error: 'cancelled' }],
      fits: 0,
      observations: 0
    });
  });

  it('SIGKILL: the next command marks the calibration interrupted and deletes its rows', async () => {
    const path = join(dir, 'sigkill.duckdb');
    const r = await interruptedCalibration(path, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    const left = await stored(path);
    expect(left.calibrations.map((c) => c.status)).toEqual(['running']);
    expect(left.fits).toBeGreaterThan(0);

    const next = twinbench(['calibrate', few, '--model', MODEL, '--db', path, '--workers', '0']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(
      new RegExp(
        `calibration 1 was left running by process \\d+ on ${hostname()}, which has ended: marked interrupted`
      )
    );
    const after = await stored(path);
    expect(after.calibrations.map((c) => c.status)).toEqual(['interrupted', 'complete']);
    expect(after.calibrations[0].error).toMatch(/ended without finishing it/);
    expect(after.fits).toBe(3);
    expect(after.observations).toBe(18);
  });
});
