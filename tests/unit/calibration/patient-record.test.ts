import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PatientDataError,
  patientRecordsFromColumns,
  type PatientRecord
} from '../../../src/lib/engine/calibration/patient-record';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { MAX_DOSES_PER_TWIN, MAX_REPORTED_ISSUES } from '../../../src/lib/spec/limits';

/** 1-compartment oral PK with an indirect response: dose targets depot, central; outputs C, R. */
const PKPD = compileModelText(readFileSync('models/pk1cmt_oral_idr1.model', 'utf8')).model;

/** A model that defines its own infusion duration (D h) for its one dose target. */
const INFUSION = compileModelText(`model infusion_1cmt
parameters
  CL = 5 [L/h] "clearance"
  V = 50 [L] "volume"
  D = 2 [h] "infusion duration"
states
  A [mg] "amount"
odes
  d/dt(A) = -CL / V * A
outputs
  C = A / V [mg/L] "concentration"
doses
  central -> A (duration = D)
`).model;

/** Columns from CSV-like text (values as text, as pasted data parsed elsewhere gives them). */
function columns(text: string): Record<string, string[]> {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',').map((n) => n.trim());
  const out: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) line.split(',').forEach((v, i) => out[names[i]].push(v.trim()));
  return out;
}

function records(text: string, options?: Parameters<typeof patientRecordsFromColumns>[2], model = PKPD) {
  return patientRecordsFromColumns(columns(text), model, options);
}

/** The problems patientRecordsFromColumns throws for `text`. */
function problems(text: string, options?: Parameters<typeof patientRecordsFromColumns>[2], model = PKPD) {
  try {
    records(text, options, model);
  } catch (e) {
    expect(e).toBeInstanceOf(PatientDataError);
    return (e as PatientDataError).problems;
  }
  throw new Error('no PatientDataError');
}

function observations(r: PatientRecord) {
  const o = r.observations;
  return Array.from(o.time, (t, j) => ({
    time: t,
    output: o.output[j],
    value: o.value[j],
    blq: o.blq[j],
    lloq: o.lloq[j]
  }));
}

describe('patient records from NONMEM-style columns', () => {
  it('reads doses, observations and covariates of each ID in order of first appearance', () => {
    const [b, a] = records(`
      ID,TIME,AMT,DV,EVID,MDV,CMT,WT
      B,0,100,,1,1,1,70
      B,1,,2.5,0,0,1,
      B,2,,40,0,0,2,71
      A,0,50,.,1,1,depot,
      A,4,,1.25,0,0,C,55`);
    expect(b.id).toBe('B');
    expect(b.doses).toEqual([{ time: 0, amount: 100, target: 'depot' }]);
    expect(observations(b)).toEqual([
      { time: 1, output: 0, value: 2.5, blq: 0, lloq: NaN },
      { time: 2, output: 1, value: 40, blq: 0, lloq: NaN }
    ]);
    expect(b.covariates).toEqual({ WT: 70 });
    expect(a.id).toBe('A');
    expect(a.doses).toEqual([{ time: 0, amount: 50, target: 'depot' }]);
    expect(observations(a)).toEqual([{ time: 4, output: 0, value: 1.25, blq: 0, lloq: NaN }]);
    // A's first row has no WT: its first non-missing value is the second row's.
    expect(a.covariates).toEqual({ WT: 55 });
    expect(b.observations.time).toBeInstanceOf(Float64Array);
    expect(b.observations.output).toBeInstanceOf(Int32Array);
    expect(b.observations.blq).toBeInstanceOf(Uint8Array);
  });

  it('accepts numbers and nulls as well as text, and IDs that are numbers', () => {
    const [r] = patientRecordsFromColumns(
      {
        id: Float64Array.of(7, 7, 7),
        time: [0, 1, 2],
        amt: [100, null, NaN],
        dv: [null, 3, '4.5'],
        Wt: [null, 60.5, 61]
      },
      PKPD
    );
    expect(r.id).toBe('7');
    expect(r.doses).toEqual([{ time: 0, amount: 100, target: 'depot' }]);
    expect(Array.from(r.observations.value)).toEqual([3, 4.5]);
    expect(r.covariates).toEqual({ Wt: 60.5 });
  });

  it('names columns case-insensitively', () => {
    const [r] = records(`
      id,Time,amt,dv,cmt
      1,0,10,,central
      1,1,,2,r`);
    expect(r.doses).toEqual([{ time: 0, amount: 10, target: 'central' }]);
    expect(observations(r)).toEqual([{ time: 1, output: 1, value: 2, blq: 0, lloq: NaN }]);
  });

  describe('EVID and MDV', () => {
    it('EVID 2 rows and EVID 0 rows with MDV 1 are ignored', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,EVID,MDV
        1,0,100,,1,1
        1,1,,5,2,1
        1,2,,6,0,1
        1,3,,7,0,0
        1,4,,8,0,`);
      expect(observations(r).map((o) => [o.time, o.value])).toEqual([
        [3, 7],
        [4, 8]
      ]);
      expect(r.doses).toHaveLength(1);
    });

    it('without EVID a row with AMT > 0 is a dose, any other an observation (or ignored with MDV 1)', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,MDV
        1,0,100,0,1
        1,1,0,5,0
        1,2,,6,0
        1,3,,,1`);
      expect(r.doses).toEqual([{ time: 0, amount: 100, target: 'depot' }]);
      expect(observations(r).map((o) => [o.time, o.value])).toEqual([
        [1, 5],
        [2, 6]
      ]);
    });

    it('refuses EVID 3 and 4 (resets) and codes other than 0, 1, 2', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,EVID
          1,0,100,,4
          1,1,,5,0
          1,2,,6,3
          1,3,,6,7`)
      ).toEqual([
        "row 1: column 'EVID' is 4 (reset and dose), which is not supported; EVID must be 0 (observation), 1 (dose) or 2 (other, ignored)",
        "row 3: column 'EVID' is 3 (reset), which is not supported; EVID must be 0 (observation), 1 (dose) or 2 (other, ignored)",
        "row 4: column 'EVID' is 7; EVID must be 0 (observation), 1 (dose) or 2 (other, ignored)"
      ]);
    });
  });

  describe('CMT', () => {
    it('maps numbers to the k-th dose target or output and names to themselves', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,EVID,CMT
        1,0,100,,1,2
        1,0,50,,1,depot
        1,1,,3,0,1
        1,1,,90,0,2
        1,2,,80,0,R
        1,3,,2,0,`);
      expect(r.doses).toEqual([
        { time: 0, amount: 100, target: 'central' },
        { time: 0, amount: 50, target: 'depot' }
      ]);
      expect(observations(r).map((o) => o.output)).toEqual([0, 1, 1, 0]);
    });

    it('names the row and the allowed values for an unknown compartment', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,EVID,CMT
          1,0,100,,1,3
          1,0,100,,1,gut
          1,1,,3,0,0
          1,1,,3,0,Cp
          1,1,,3,0,1.5`)
      ).toEqual([
        "row 1: column 'CMT' is 3: not a dose target of model pk1cmt_oral_idr1 (allowed: 1 or depot, 2 or central)",
        "row 2: column 'CMT' is 'gut': not a dose target of model pk1cmt_oral_idr1 (allowed: 1 or depot, 2 or central)",
        "row 3: column 'CMT' is 0: not an output of model pk1cmt_oral_idr1 (allowed: 1 or C, 2 or R)",
        "row 4: column 'CMT' is 'Cp': not an output of model pk1cmt_oral_idr1 (allowed: 1 or C, 2 or R)",
        "row 5: column 'CMT' is 1.5: not an output of model pk1cmt_oral_idr1 (allowed: 1 or C, 2 or R)"
      ]);
    });
  });

  describe('infusions, additional doses and steady state', () => {
    it('RATE > 0 gives the duration AMT/RATE, DUR > 0 the duration itself', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,CMT,RATE,DUR
        1,0,1000,,central,500,
        1,12,600,,central,,0.5
        1,24,100,,central,0,0
        1,30,,5,C,,`);
      expect(r.doses).toEqual([
        { time: 0, amount: 1000, target: 'central', duration: 2 },
        { time: 12, amount: 600, target: 'central', duration: 0.5 },
        { time: 24, amount: 100, target: 'central' }
      ]);
    });

    it('RATE = -2 leaves the duration to the model, which must define one', () => {
      const text = `
        ID,TIME,AMT,DV,RATE
        1,0,1000,,-2
        1,3,,5,`;
      expect(records(text, undefined, INFUSION)[0].doses).toEqual([
        { time: 0, amount: 1000, target: 'central' }
      ]);
      expect(problems(text)).toEqual([
        "row 1: column 'RATE' is -2 (the model's own infusion duration), but model pk1cmt_oral_idr1 defines no infusion"
      ]);
    });

    it('refuses other negative rates, negative durations and both at once', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,RATE,DUR
          1,0,100,,-1,
          1,1,100,,,-2
          1,2,100,,10,2
          1,3,,5,,`)
      ).toEqual([
        "row 1: column 'RATE' is -1; RATE must be > 0 (amount/h), 0 or empty (no infusion), or -2 (the model's own infusion duration)",
        "row 2: column 'DUR' is -2; DUR must be ≥ 0 (h)",
        "row 3: columns 'RATE' and 'DUR' both give an infusion (10 and 2); give one of them"
      ]);
    });

    it('II with ADDL = k adds k doses every II hours', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,II,ADDL,DUR
        1,0,100,,12,2,1
        1,6,,5,,,
        1,30,,4,,,`);
      expect(r.doses).toEqual([
        { time: 0, amount: 100, target: 'depot', duration: 1 },
        { time: 12, amount: 100, target: 'depot', duration: 1 },
        { time: 24, amount: 100, target: 'depot', duration: 1 }
      ]);
    });

    it('sorts additional doses among the later doses by time', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,II,ADDL
        1,0,100,,24,1
        1,12,50,,,
        1,36,,5,,`);
      expect(r.doses.map((d) => [d.time, d.amount])).toEqual([
        [0, 100],
        [12, 50],
        [24, 100]
      ]);
    });

    it('SS = 1 at time 0 is a steady state with interval II', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,II,ADDL,SS
        1,0,100,,24,1,1
        1,30,,5,,,`);
      expect(r.doses).toEqual([
        { time: 0, amount: 100, target: 'depot', steadyStateInterval: 24 },
        { time: 24, amount: 100, target: 'depot' }
      ]);
    });

    it('refuses bad II, ADDL and SS values', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,II,ADDL,SS
          1,0,100,,,2,
          1,0,100,,-12,,
          1,0,100,,12,1.5,
          1,0,100,,,,1
          1,12,100,,12,,1
          1,24,100,,12,,2
          1,30,,5,,,`)
      ).toEqual([
        "row 1: column 'ADDL' is 2 but II is empty: additional doses need an interval II > 0 (h)",
        "row 2: column 'II' is -12; II must be ≥ 0 (h)",
        "row 3: column 'ADDL' is 1.5; ADDL must be a whole number ≥ 0",
        "row 4: column 'SS' is 1 but II is empty: a steady state needs the dosing interval II > 0 (h)",
        "row 5: column 'SS' is 1 at TIME 12: a steady-state dose must be at time 0",
        "row 6: column 'SS' is 2; SS must be 0 or 1"
      ]);
    });

    it('refuses more doses per ID than the limit', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,II,ADDL
          1,0,100,,1,${MAX_DOSES_PER_TWIN}
          1,1,,5,,`)
      ).toEqual([
        `ID 1, first at row 1: ${MAX_DOSES_PER_TWIN + 1} doses (additional doses included), more than ${MAX_DOSES_PER_TWIN}`
      ]);
    });
  });

  describe('observations below the quantification limit (M3)', () => {
    it('BLQ = 1 is censored at LLOQ, or at DV without an LLOQ column', () => {
      const [withLloq] = records(`
        ID,TIME,AMT,DV,BLQ,LLOQ
        1,0,100,,,
        1,1,,3,0,0.5
        1,2,,.,1,0.5
        1,3,,0.2,1,`);
      expect(observations(withLloq)).toEqual([
        { time: 1, output: 0, value: 3, blq: 0, lloq: 0.5 },
        { time: 2, output: 0, value: 0.5, blq: 1, lloq: 0.5 },
        { time: 3, output: 0, value: 0.2, blq: 1, lloq: 0.2 }
      ]);
      const [withoutLloq] = records(`
        ID,TIME,AMT,DV,BLQ
        1,0,100,,
        1,2,,0.1,1`);
      expect(observations(withoutLloq)).toEqual([{ time: 2, output: 0, value: 0.1, blq: 1, lloq: 0.1 }]);
    });

    it('with LLOQ and no BLQ column, DV < LLOQ is censored', () => {
      const [r] = records(`
        ID,TIME,AMT,DV,LLOQ
        1,0,100,,
        1,1,,0.5,0.5
        1,2,,0.3,0.5`);
      expect(observations(r)).toEqual([
        { time: 1, output: 0, value: 0.5, blq: 0, lloq: 0.5 },
        { time: 2, output: 0, value: 0.5, blq: 1, lloq: 0.5 }
      ]);
    });

    it('refuses BLQ codes other than 0 and 1 and a BLQ row without a limit', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,BLQ,LLOQ
          1,0,100,,,
          1,1,,3,2,
          1,2,,,1,`)
      ).toEqual([
        "row 2: column 'BLQ' is 2; BLQ must be 0 or 1",
        "row 3: BLQ = 1 needs a limit: columns 'LLOQ' and 'DV' are both empty"
      ]);
    });
  });

  describe('errors', () => {
    it('names the columns found when ID, TIME or DV is missing', () => {
      expect(problems('Subject,Hours,AMT\n1,0,100')).toEqual([
        'no column ID (the columns are: Subject, Hours, AMT)',
        'no column TIME (the columns are: Subject, Hours, AMT)',
        'no column DV (the columns are: Subject, Hours, AMT)'
      ]);
    });

    it('refuses columns of different lengths and MDV codes other than 0 and 1', () => {
      expect(() => patientRecordsFromColumns({ ID: [1, 1], TIME: [0, 1], DV: [2] }, PKPD)).toThrow(
        "column 'DV' has 1 values, column 'ID' has 2"
      );
      expect(problems('ID,TIME,DV,MDV\n1,0,1,2\n1,1,1,0')).toEqual([
        "row 1: column 'MDV' is 2; MDV must be 0 or 1"
      ]);
    });

    it('refuses two columns with the same name in different case', () => {
      expect(problems('ID,TIME,DV,dv\n1,0,1,1')).toEqual(["columns 'DV' and 'dv' both name DV"]);
    });

    it('refuses unsorted times within an ID, but not across IDs', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV
          1,0,100,
          1,4,,2
          2,0,100,
          1,2,,3
          2,1,,1`)
      ).toEqual([
        "row 4: column 'TIME' is 2, before the previous time 4 of ID 1 (times must not decrease within an ID)"
      ]);
    });

    it('refuses a dose without amount, negative and empty times, empty IDs and missing DV', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,EVID
          1,0,,,1
          1,0,-5,,1
          1,1,0,,1
          1,,,3,0
          1,-1,,3,0
          ,2,,3,0
          1,3,,,0`)
      ).toEqual([
        "row 1: column 'AMT' is empty; a dose needs an amount > 0",
        "row 2: column 'AMT' is -5; a dose needs an amount > 0",
        "row 3: column 'AMT' is 0; a dose needs an amount > 0",
        "row 4: column 'TIME' is empty",
        "row 5: column 'TIME' is -1; times must be ≥ 0 (h)",
        "row 6: column 'ID' is empty",
        "row 7: column 'DV' is empty on an observation (give a value, or BLQ = 1 for one below the quantification limit)"
      ]);
    });

    it('names each non-numeric value with its row and column', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,CMT
          1,0h,100,,
          1,1,1e2x,,
          1,2,,high,
          1,3,,Infinity,C`)
      ).toEqual([
        "row 1: column 'TIME' holds '0h', which is not a number",
        "row 2: column 'AMT' holds '1e2x', which is not a number",
        "row 3: column 'DV' holds 'high', which is not a number",
        "row 4: column 'DV' holds 'Infinity', which is not a number"
      ]);
    });

    it('refuses an ID without observations', () => {
      expect(
        problems(`
          ID,TIME,AMT,DV,MDV
          1,0,100,,
          1,1,,2,
          2,0,100,,
          2,1,,2,1`)
      ).toEqual(['ID 2, first at row 3: no observations']);
    });

    it('lists the first problems and counts the rest', () => {
      // Each row's AMT is not a number: 30 problems (the ID's own checks wait for good rows).
      const rows = Array.from({ length: 30 }, (_, i) => `1,${i},x,`).join('\n');
      let error: PatientDataError | undefined;
      try {
        patientRecordsFromColumns(columns(`ID,TIME,AMT,DV\n${rows}`), PKPD);
      } catch (e) {
        error = e as PatientDataError;
      }
      expect(error?.problems).toHaveLength(MAX_REPORTED_ISSUES);
      expect(error?.omitted).toBe(30 - MAX_REPORTED_ISSUES);
      expect(error?.message.split('\n')).toHaveLength(MAX_REPORTED_ISSUES + 1);
      expect(error?.message.split('\n').at(-1)).toBe(`… and ${30 - MAX_REPORTED_ISSUES} more problems`);
    });

    it('names rows with the caller’s labels', () => {
      expect(problems('ID,TIME,DV\n1,-1,2', { rowLabel: (r) => `row ${r + 1} (line ${r + 2})` })).toEqual([
        "row 1 (line 2): column 'TIME' is -1; times must be ≥ 0 (h)"
      ]);
    });
  });

  describe('covariates the model needs', () => {
    const text = `
      ID,TIME,AMT,DV,wt,SEX,SITE
      1,0,100,,,F,north
      1,1,,2,70,F,north
      2,0,100,,80,M,south
      2,1,,3,81,M,south`;

    it('takes each ID’s first non-missing value, under the name the model uses', () => {
      const [one, two] = records(text, { covariates: ['WT'] });
      expect(one.covariates).toEqual({ WT: 70 });
      expect(two.covariates).toEqual({ WT: 80 });
    });

    it('ignores text columns the model does not need', () => {
      expect(records(text)[0].covariates).toEqual({ wt: 70 });
    });

    it('refuses a needed covariate that is missing, not numeric or empty for an ID', () => {
      expect(problems(text, { covariates: ['WT', 'SEX', 'AGE'] })).toEqual([
        'no column AGE for the covariate the model needs (the columns are: ID, TIME, AMT, DV, wt, SEX, SITE)',
        "row 1: column 'SEX' holds 'F', which is not a number",
        "row 2: column 'SEX' holds 'F', which is not a number",
        "row 3: column 'SEX' holds 'M', which is not a number",
        "row 4: column 'SEX' holds 'M', which is not a number"
      ]);
      const empty = text.replace('2,0,100,,80', '2,0,100,,').replace('2,1,,3,81', '2,1,,3,');
      expect(problems(empty, { covariates: ['WT'] })).toEqual([
        "ID 2, first at row 3: column 'wt' has no value (the model needs covariate WT)"
      ]);
    });
  });
});
