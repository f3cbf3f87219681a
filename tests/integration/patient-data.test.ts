import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { PatientDataError, type PatientRecord } from '../../src/lib/engine/calibration/patient-record';
import { compileModelText } from '../../src/lib/engine/model-language';
import { readPatientData } from '../../src/lib/io/patient-data';
import { TwinFileError } from '../../src/lib/io/twin-file-error';

/** Dose targets depot, central; outputs C, R. */
const MODEL = compileModelText(readFileSync('models/pk1cmt_oral_idr1.model', 'utf8')).model;
const FIXTURE = 'tests/fixtures/calibration/pk1cmt_oral_idr1_patients.csv';
const dir = mkdtempSync(join(tmpdir(), 'twinbench-patients-'));

function plain(r: PatientRecord) {
  const o = r.observations;
  return {
    id: r.id,
    covariates: r.covariates,
    doses: r.doses,
    observations: Array.from(o.time, (t, j) => [t, o.output[j], o.value[j], o.blq[j], o.lloq[j]])
  };
}

const EXPECTED = [
  {
    id: '101',
    covariates: { WT: 72.5 },
    doses: [0, 12, 24].map((time) => ({ time, amount: 100, target: 'depot' })),
    observations: [
      [1, 0, 1.84, 0, 0.05],
      [6, 0, 0.05, 1, 0.05],
      [6, 1, 61.2, 0, NaN],
      [30, 1, 88.4, 0, NaN]
    ]
  },
  {
    id: '7',
    covariates: { WT: 58 },
    doses: [{ time: 0, amount: 500, target: 'central', duration: 2 }],
    observations: [
      [2, 0, 9.7, 0, 0.05],
      [12, 0, 3.1, 0, 0.05]
    ]
  }
];

describe('patient data files', () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(() => db.close());

  it('reads a CSV file into one record per ID, CMT mapped to dose targets and outputs', async () => {
    const records = await readPatientData(db, FIXTURE, MODEL, { covariates: ['WT'] });
    expect(records.map(plain)).toEqual(EXPECTED);
  });

  it('reads the same records from Parquet', async () => {
    const parquet = join(dir, 'patients.parquet');
    // ID an integer, TIME and DV doubles with NULLs, the other columns text: Parquet's own types.
    await db.exec(
      `COPY (SELECT * REPLACE (CAST(ID AS INTEGER) AS ID, CAST(TIME AS DOUBLE) AS TIME, CAST(NULLIF(DV, '.') AS DOUBLE) AS DV) ` +
        `FROM read_csv(${sqlString(FIXTURE)}, all_varchar = true)) TO ${sqlString(parquet)} (FORMAT parquet)`
    );
    const records = await readPatientData(db, parquet, MODEL, { covariates: ['WT'] });
    expect(records.map(plain)).toEqual(EXPECTED);
  });

  it('names the file, row and line of each problem in a CSV', async () => {
    const path = join(dir, 'bad.csv');
    const text = readFileSync(FIXTURE, 'utf8').replace('7,12,,3.1,0,0,1', '7,1,,3.1,0,0,3');
    writeFileSync(path, text);
    const error = await readPatientData(db, path, MODEL).catch((e) => e);
    expect(error).toBeInstanceOf(PatientDataError);
    expect(error.message).toBe(
      [
        `${path}: row 9 (line 10): column 'TIME' is 1, before the previous time 8 of ID 7 (times must not decrease within an ID)`,
        `${path}: row 9 (line 10): column 'CMT' is 3: not an output of model pk1cmt_oral_idr1 (allowed: 1 or C, 2 or R)`
      ].join('\n')
    );
  });

  it('names the row of a problem in a Parquet file', async () => {
    const path = join(dir, 'bad.parquet');
    await db.exec(
      `COPY (SELECT 1 AS ID, 0.0 AS TIME, -5.0 AS AMT, NULL::DOUBLE AS DV, 1 AS EVID UNION ALL ` +
        `SELECT 1, 1.0, NULL, 2.0, 0) TO ${sqlString(path)} (FORMAT parquet)`
    );
    await expect(readPatientData(db, path, MODEL)).rejects.toThrow(
      `${path}: row 1: column 'AMT' is -5; a dose needs an amount > 0`
    );
  });

  it('leaves problems of the file itself to the file reader', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, 'ID,TIME,DV\n');
    await expect(readPatientData(db, path, MODEL)).rejects.toThrow(TwinFileError);
  });
});
