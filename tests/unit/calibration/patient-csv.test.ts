// Pasted CSV to patient records: papaparse's columns handed to patientRecordsFromColumns,
// every problem named by its line (the header is line 1).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PatientDataError } from '../../../src/lib/engine/calibration/patient-record';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { patientRecordsFromCsv } from '../../../src/lib/io/patient-csv';

const model = compileModelText(readFileSync('models/pk1cmt_iv.model', 'utf8')).model;

function problems(text: string, covariates: string[] = []): string[] {
  try {
    patientRecordsFromCsv(text, model, { covariates });
  } catch (e) {
    if (e instanceof PatientDataError) return e.problems;
    throw e;
  }
  throw new Error('no problem found');
}

describe('patientRecordsFromCsv', () => {
  it('reads doses, observations and covariates, skipping blank lines and quoted values', () => {
    const text = 'ID,TIME,AMT,RATE,DV,EVID,CMT,"weight"\n1,0,300,300,.,1,1,20\n\n1,2,.,.,12.5,0,1,20\n';
    const [r] = patientRecordsFromCsv(text, model, { covariates: ['weight'] });
    expect(r.id).toBe('1');
    expect(r.covariates).toEqual({ weight: 20 });
    expect(r.doses).toEqual([{ time: 0, amount: 300, target: model.doseTargets[0].name, duration: 1 }]);
    expect([...r.observations.time]).toEqual([2]);
    expect([...r.observations.value]).toEqual([12.5]);
  });

  it('names the line of a bad value, counting blank lines', () => {
    const text = 'ID,TIME,AMT,DV,EVID,CMT\n1,0,100,.,1,1\n\n1,two,.,5,0,1\n1,3,.,4,0,1\n';
    expect(problems(text)).toEqual(["line 4: column 'TIME' holds 'two', which is not a number"]);
  });

  it('names a line with more or fewer values than the header, and a header column twice', () => {
    expect(problems('ID,TIME,DV,EVID\n1,0,1,0\n1,2,3\n1,3,4,0,9\n')).toEqual([
      'line 3: 3 values, the header has 4 columns',
      'line 4: 5 values, the header has 4 columns'
    ]);
    expect(problems('ID,TIME,DV,DV\n1,0,1,2\n')).toEqual(["line 1: column 'DV' appears twice"]);
  });

  it('says so for an empty table, a header alone and a missing covariate column', () => {
    expect(problems('\n  \n')).toEqual([
      'the table is empty: give a header line (ID,TIME,AMT,DV,…) and rows'
    ]);
    expect(problems('ID,TIME,DV\n')).toEqual(['the table has a header but no rows']);
    expect(problems('ID,TIME,DV,EVID\n1,0,1,0\n', ['weight'])[0]).toMatch(
      /^no column weight for the covariate/
    );
  });
});
