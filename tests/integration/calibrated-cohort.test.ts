/**
 * A virtual trial on a clinic's calibrated patients (cohort: { calibration: { file } }):
 * the shipped example end to end through the CLI, its twins' MAP parameters against the
 * fits file's own param_ columns (written by `twinbench calibrate`), bit-identical runs
 * with any workers and chunk sizes, and a fits file's problems reported under
 * cohort.calibration.file with exit code 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { compileProtocol, predictionTwin } from '../../src/lib/engine/trial';
import { readCalibrationFits } from '../../src/lib/io/calibration-fits';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';
import { ROOT, tempDir, twinbench } from '../faults/cli';
import { runHash } from '../helpers/run-hash';

const PROTOCOL = `${ROOT}protocols/vancomycin-calibrated-cohort.yaml`;
const FITS = `${ROOT}cohorts/vancomycin-calibrated/fits.csv`;
const dir = tempDir('calibrated-cohort');

/** The shipped example, its fits file read, with changes to its text. */
async function load(change: (text: string) => string = (t) => t) {
  const text = change(readFileSync(PROTOCOL, 'utf8'));
  const db = await NodeConnector.open();
  try {
    const fits = (await readCalibrationFits(db, FITS)).table;
    return loadProtocol(
      text,
      PROTOCOL,
      (path) => ({ text: readFileSync(join(ROOT, 'protocols', path), 'utf8'), file: path }),
      fits
    );
  } finally {
    await db.close();
  }
}

/** A protocol beside a fits file written from `csv`, validated by the CLI. */
function validate(csv: string, cohort = '{ calibration: { file: fits.csv } }') {
  const protocol = readFileSync(PROTOCOL, 'utf8')
    .replace(/cohort:\n {2}calibration: \{ file: \S+ \}/, `cohort: ${cohort}`)
    .replace('../models/', `${ROOT}models/`);
  writeFileSync(join(dir, 'fits.csv'), csv);
  writeFileSync(join(dir, 'protocol.yaml'), protocol);
  return twinbench(['validate', join(dir, 'protocol.yaml')]);
}

const HEADER = 'ID,weight,eta_CL,eta_V,cov_CL_CL,cov_V_CL,cov_V_V,param_CL,param_V,ofv,converged,note,model';

describe('a cohort of calibrated twins', () => {
  it('runs the shipped example end to end: twin i is patient i, each simulated under both arms', () => {
    const db = join(dir, 'example.duckdb');
    const r = twinbench(['run', PROTOCOL, '--db', db, '--workers', '1']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/run 1 complete .*: 24 assignment, .* 96 endpoint rows/);
  });

  it('runs power at sizes beyond the number of patients by resampling them', () => {
    const r = twinbench(['power', PROTOCOL, '--n', '24,48', '--replicates', '10', '--workers', '0']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^24\t10\t20 mg\/kg q6h\t/m);
    expect(r.stdout).toMatch(/^48\t10\t20 mg\/kg q6h\t/m);
  });

  it('with posterior: mode gives each twin the MAP parameters the fits file records', async () => {
    const plan = compileProtocol(await load((t) => t.replace('fits.csv }', 'fits.csv, posterior: mode }')));
    const rows = readFileSync(FITS, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const header = readFileSync(FITS, 'utf8').split('\n')[0].split(',');
    const [cl, v] = ['param_CL', 'param_V'].map((n) => header.indexOf(n));
    expect(rows.length).toBe(24);
    rows.forEach((row, i) => {
      const twin = predictionTwin(plan, i + 1);
      expect(twin.params[0]).toBeCloseTo(Number(row[cl]), 12);
      expect(twin.params[1]).toBeCloseTo(Number(row[v]), 12);
    });
  });

  it('gives identical rows with 0, 1 and 2 workers and any chunk size, also when resampling patients', async () => {
    const protocol = await load();
    const db = await NodeConnector.open();
    try {
      const hashes: string[] = [];
      for (const [workers, chunkSize] of [
        [0, 40],
        [1, 7],
        [2, 11]
      ]) {
        const pool = nodeWorkerPool(workers);
        const { runId, cohortId } = await runTrial({ db, pool, protocol, chunkSize, n: 40, replicates: 2 });
        pool.terminate();
        hashes.push(await runHash(db, runId));
        const patients = rowsOf<{ n: number; lo: number; hi: number }>(
          await db.query(
            `SELECT count(DISTINCT patient)::DOUBLE AS n, min(patient) AS lo, max(patient) AS hi FROM twin WHERE cohort_id = ${cohortId}`
          )
        )[0];
        expect(patients.lo).toBeGreaterThanOrEqual(1);
        expect(patients.hi).toBeLessThanOrEqual(24);
        expect(patients.n).toBeGreaterThan(10);
      }
      expect(hashes[1]).toBe(hashes[0]);
      expect(hashes[2]).toBe(hashes[0]);
      const endpoints = await scalar<number>(db, `SELECT count(*)::DOUBLE FROM endpoint WHERE run_id = 1`);
      expect(endpoints).toBe(2 * 40 * 2 * 2); // replicates × twins × arms × endpoints
    } finally {
      await db.close();
    }
  }, 240_000);

  it('notes patients without a posterior covariance, whose twins take their MAP etas', () => {
    const r = validate(
      `${HEADER}\nA,20,0.1,-0.1,0.04,0.01,0.02,1,1,1,true,,m\nB,35,0.2,0.1,,,,1,1,1,false,laplace failed,m\n`
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /note: .*protocol\.yaml: fits\.csv: 1 patient has no posterior covariance \(row 2\): their twins take the patient's MAP etas, not draws/
    );
  });

  it('refuses a fits file it cannot use, under cohort.calibration.file with the line, exit 2', () => {
    const cases: [string, string, RegExp][] = [
      ['missing file', '', /line 25: cohort\.calibration\.file: .*nowhere\.csv: no such file/],
      [
        'no eta columns',
        'ID,weight,ofv\nA,20,1\n',
        /line 25: cohort\.calibration\.file: .*fits\.csv: has no eta_<P> columns/
      ],
      [
        'an eta missing',
        'ID,weight,eta_CL,cov_CL_CL\nA,20,0.1,0.04\n',
        /cohort\.calibration\.file: the fits file's etas \(eta_CL\) are not the model's \(iiv\.parameters: CL, V\)/
      ],
      [
        'a covariance in part',
        `${HEADER}\nA,20,0.1,-0.1,0.04,,0.02,1,1,1,true,,m\n`,
        /cohort\.calibration\.file: .*fits\.csv: row 1 \(line 2\): column 'cov_V_CL' is empty but other cov_ columns are not/
      ],
      [
        'not positive definite',
        `${HEADER}\nA,20,0.1,-0.1,0.04,0.01,0.02,1,1,1,true,,m\nB,35,0.2,0.1,0.04,0.5,0.02,1,1,1,true,,m\n`,
        /cohort\.calibration\.file: row 2: the posterior covariance \(cov_CL_CL, cov_V_CL, cov_V_V\) is not positive definite/
      ],
      [
        'an empty covariate the model uses',
        `${HEADER}\nA,,0.1,-0.1,0.04,0.01,0.02,1,1,1,true,,m\n`,
        /note: .*fits\.csv: covariate 'weight' left out of the twins: it is empty in row 1 \(line 2\)\n(.|\n)*model\.covariates\[0\]\.covariate: the cohort has no covariate 'weight'/
      ],
      [
        'an empty eta',
        `${HEADER}\nA,20,,-0.1,0.04,0.01,0.02,1,1,1,true,,m\n`,
        /cohort\.calibration\.file: .*fits\.csv: row 1 \(line 2\): column 'eta_CL' is empty/
      ]
    ];
    for (const [what, csv, message] of cases) {
      const r =
        what === 'missing file' ? validate('', '{ calibration: { file: nowhere.csv } }') : validate(csv);
      expect(r.stderr, what).toMatch(message);
      expect(r.stderr, what).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.code, what).toBe(2);
    }
  });
});
