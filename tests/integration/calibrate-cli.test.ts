// `twinbench calibrate` end to end: 20 simulated patients of the MAP reference model (2-compartment
// oral PK, weight on clearance, combined error, some values below the LLOQ) fitted through the
// CLI into a database and a fits file; the same etas, bit for bit, whatever the number of workers
// and the chunk size (determinism contract); a protocol's model section as the model.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProtocolFile } from '../../src/cli/protocol-file';
import { rowsOf, scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { simulatePatientData } from '../bench/calibrateSetup';
import { tempDir, twinbench } from '../faults/cli';

const MODEL = 'tests/golden/calibration/pk2cmt_oral_map.model';
const dir = tempDir('calibrate');
const data = join(dir, 'patients.csv');
const N = 20;

/** The fits file's columns as the contract lists them, for this model and data. */
const ETAS = ['CL', 'V1', 'KA'];
const PARAMETERS = ['CL', 'V1', 'Q', 'V2', 'KA', 'F', 'TLAG'];
const FITS_COLUMNS = [
  'ID',
  'WT',
  ...ETAS.map((p) => `eta_${p}`),
  'cov_CL_CL',
  'cov_V1_CL',
  'cov_V1_V1',
  'cov_KA_CL',
  'cov_KA_V1',
  'cov_KA_KA',
  ...PARAMETERS.map((p) => `param_${p}`),
  'ofv',
  'population_ofv',
  'converged',
  'method',
  'evaluations',
  ...ETAS.map((p) => `shrinkage_${p}`),
  'note',
  'model'
];

let db: NodeConnector;
beforeAll(async () => {
  const text = readFileSync(MODEL, 'utf8');
  const simulated = simulatePatientData(
    { model: { file: MODEL, text } },
    { n: N, seed: 12, covariates: { WT: [50, 110] }, lloq: 0.3 }
  );
  writeFileSync(data, simulated.csv);
  db = await NodeConnector.open();
});
afterAll(() => db.close());

function calibrate(...args: string[]) {
  const r = twinbench(['calibrate', data, '--model', MODEL, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('twinbench calibrate', () => {
  it('stores the calibration, its fits and observations, and writes the fits file with the contract columns', async () => {
    const path = join(dir, 'stored.duckdb');
    const fits = join(dir, 'fits.parquet');
    const r = calibrate('--db', path, '--out', fits, '--workers', '2', '--chunk-size', '7');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0].split('\t')).toEqual([
      'ID',
      'OFV',
      'converged',
      ...ETAS.flatMap((e) => [`eta_${e}`, `sd_${e}`, `shrinkage_${e}`])
    ]);
    expect(lines.slice(1, N + 1).map((l) => l.split('\t')[0])).toEqual(
      Array.from({ length: N }, (_, i) => String(i + 1))
    );
    expect(lines[N + 1]).toMatch(/^population shrinkage: CL \d+\.\d%, V1 \d+\.\d%, KA \d+\.\d%$/);
    expect(lines[N + 2]).toMatch(
      /^20 patients fitted in [\d.]+ s; (every fit converged|\d+ did not converge)$/
    );
    expect(r.stderr).toMatch(/calibration 1 stored in/);

    const stored = await NodeConnector.open(path);
    try {
      const [c] = rowsOf<Record<string, unknown>>(
        await stored.query(
          `SELECT name, model, status, n_patients, eta_names, parameter_names, covariate_names, data_file, model_spec FROM calibration`
        )
      );
      expect(c).toMatchObject({
        name: 'patients.csv',
        model: 'pk2cmt_oral_map',
        status: 'complete',
        n_patients: N,
        eta_names: JSON.stringify(ETAS),
        parameter_names: JSON.stringify(PARAMETERS),
        covariate_names: '["WT"]',
        data_file: data
      });
      // The resolved spec carries the model text, so the calibration can be redone from it.
      expect(JSON.parse(c.model_spec as string).model.text).toBe(readFileSync(MODEL, 'utf8'));
      const count = (sql: string) => scalar<number>(stored, `SELECT count(*)::DOUBLE FROM ${sql}`);
      expect(await count(`calibration_fit`)).toBe(N);
      expect(await count(`calibration_observation`)).toBe(6 * N);
      // IWRES exists for quantified values only; a BLQ row has none (M3 has no residual).
      expect(await count(`calibration_observation WHERE blq AND iwres IS NOT NULL`)).toBe(0);
      expect(await count(`calibration_observation WHERE NOT blq AND iwres IS NULL`)).toBe(0);
      expect(await count(`calibration_observation WHERE blq`)).toBeGreaterThan(0);
      expect(
        await count(`calibration_fit WHERE len(eta) = 3 AND len(covariance) = 9 AND len(parameters) = 7`)
      ).toBe(N);
      // Without --sir there are no SIR moments.
      expect(await count(`calibration_fit WHERE sir_mean IS NOT NULL`)).toBe(0);

      const file = rowsOf<{ name: string; type: string }>(
        await stored.query(
          `SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM '${fits}')`
        )
      );
      expect(file.map((f) => f.name)).toEqual(FITS_COLUMNS);
      const type = (name: string) => file.find((f) => f.name === name)!.type;
      expect([type('ID'), type('converged'), type('evaluations'), type('method'), type('ofv')]).toEqual([
        'VARCHAR',
        'BOOLEAN',
        'INTEGER',
        'VARCHAR',
        'DOUBLE'
      ]);
      // The file holds exactly what is stored: etas, the covariance's lower triangle, parameters.
      const mismatches = await scalar<number>(
        stored,
        `SELECT count(*)::DOUBLE FROM calibration_fit s JOIN '${fits}' f ON f.ID = s.id ` +
          `WHERE f.eta_CL IS DISTINCT FROM s.eta[1] OR f.eta_KA IS DISTINCT FROM s.eta[3] ` +
          `OR f.cov_KA_V1 IS DISTINCT FROM s.covariance[8] OR f.param_V2 IS DISTINCT FROM s.parameters[4] ` +
          `OR f.WT IS DISTINCT FROM s.covariates[1] OR f.model <> 'pk2cmt_oral_map'`
      );
      expect(mismatches).toBe(0);
      expect(await scalar<number>(stored, `SELECT count(*)::DOUBLE FROM '${fits}'`)).toBe(N);
    } finally {
      await stored.close();
    }
  });

  it('gives the same fits, bit for bit, for 0, 1 and 2 workers and any chunk size (SIR draws included)', async () => {
    const runs = [
      ['--workers', '0', '--chunk-size', '1'],
      ['--workers', '1', '--chunk-size', '20'],
      ['--workers', '2', '--chunk-size', '3']
    ].map((args, k) => {
      const path = join(dir, `same-${k}.duckdb`);
      const out = join(dir, `same-${k}.csv`);
      calibrate(...args, '--sir', '--seed', '5', '--db', path, '--out', out);
      return { path, csv: readFileSync(out, 'utf8') };
    });
    expect(runs[1].csv).toBe(runs[0].csv);
    expect(runs[2].csv).toBe(runs[0].csv);
    // Lists as text print every double in its shortest exact form: equal text is equal bits.
    const sir = async (path: string) => {
      const stored = await NodeConnector.open(path);
      try {
        return rowsOf(
          await stored.query(
            `SELECT patient, sir_mean::VARCHAR AS m, sir_covariance::VARCHAR AS c, sir_ess FROM calibration_fit ORDER BY patient`
          )
        );
      } finally {
        await stored.close();
      }
    };
    const first = await sir(runs[0].path);
    expect(first).toHaveLength(N);
    expect(first.every((r) => r.m !== null && (r.sir_ess as number) > 0)).toBe(true);
    expect(await sir(runs[1].path)).toEqual(first);
    expect(await sir(runs[2].path)).toEqual(first);
  });

  it('prints JSON with each patient and the population shrinkage, and stores nothing without --db', async () => {
    const r = calibrate('--format', 'json', '--workers', '0');
    const json = JSON.parse(r.stdout);
    expect(json.calibrationId).toBeUndefined();
    expect(json.model).toBe('pk2cmt_oral_map');
    expect(json.patients).toHaveLength(N);
    expect(Object.keys(json.patients[0].eta)).toEqual(ETAS);
    expect(Object.keys(json.populationShrinkage)).toEqual(ETAS);
    for (const e of ETAS) expect(json.populationShrinkage[e]).toBeLessThan(1);
    expect(r.stderr).not.toMatch(/stored in/);
  });

  it("fits with a protocol's model section (its variability, covariate effects and residual error)", async () => {
    const protocolFile = 'protocols/pediatric-weight-based.yaml';
    const protocol = await readProtocolFile(protocolFile);
    const children = join(dir, 'children.csv');
    writeFileSync(
      children,
      simulatePatientData(protocol.model, {
        n: 5,
        seed: 3,
        covariates: { weight: [12, 60] },
        amount: 250,
        duration: 1
      }).csv
    );
    const fits = join(dir, 'children.csv.out.csv');
    const r = twinbench(['calibrate', children, '--model', protocolFile, '--out', fits, '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    const header = readFileSync(fits, 'utf8').split('\n')[0].split(',');
    expect(header.slice(0, 4)).toEqual(['ID', 'weight', 'eta_CL', 'eta_V']);
    expect(header).toContain('cov_V_CL');
    expect(header.at(-1)).toBe('model');
    expect(r.stdout).toMatch(/^5 patients fitted/m);
  });
});
