/**
 * The fpg_hba1c PD block (fasting glucose indirect response → HbA1c turnover) driven by
 * 1-cmt oral PK vs R deSolve::lsoda at rtol = atol = 1e-12 (script: fpgHba1cReference.R
 * beside this file; its CSV output is committed). Contract: ≤ 1e-5 relative at every time,
 * in the hybrid (closed-form PK) and the full-ODE paths.
 */
import { describe, expect, it } from 'vitest';
import {
  parameterIndex,
  resolveModel,
  simulateChunk,
  typicalParameters
} from '../../../src/lib/engine/models';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { column, readCsv } from '../models/readCsv';
import { join } from 'node:path';

const TOLERANCE = 1e-5;

/** The same parameter sets and regimens as fpgHba1cReference.R. */
const CASES = {
  typical: {
    values: {
      CL: 29,
      V: 300,
      KA: 1.2,
      FPG0: 9.4,
      HBA1C0: 8.2,
      KOUTF: 0.0096,
      KOUTA: 0.00075,
      SLOPE: 0.6277,
      IMAX: 0.15,
      IC50: 0.011,
      DP: 4e-6
    },
    doses: Array.from({ length: 28 }, (_, k) => ({ time: 24 * k, amount: 100, target: 'depot' }))
  },
  fast: {
    values: {
      CL: 10,
      V: 80,
      KA: 0.8,
      FPG0: 11,
      HBA1C0: 9.1,
      KOUTF: 0.05,
      KOUTA: 0.01,
      SLOPE: 0.6277,
      IMAX: 0.4,
      IC50: 0.3,
      DP: 1e-4
    },
    doses: Array.from({ length: 20 }, (_, k) => ({ time: 12 * k, amount: 50, target: 'depot' }))
  }
};

describe('pk1cmt_oral+fpg_hba1c vs deSolve', () => {
  // readCsv resolves names beside tests/golden/models; read this directory's fixture by path.
  const rows = readCsv(join('..', 'protocols', 'fpg_hba1c_reference.csv'));
  for (const [name, c] of Object.entries(CASES)) {
    for (const mode of ['hybrid', 'ode'] as const) {
      it(`${name} (${mode})`, () => {
        const model = resolveModel('pk1cmt_oral+fpg_hba1c');
        const p = typicalParameters(model);
        for (const [k, v] of Object.entries(c.values)) p[parameterIndex(model, k)] = v;
        const ref = rows.filter((r) => r.case === name);
        const times = Float64Array.from(ref, (r) => Number(r.time));
        const out = simulateChunk(model, p, times, c.doses, { mode, rtol: 1e-10, atol: 1e-12 });
        const nT = times.length;
        const worst = Math.max(
          ...['C', 'FPG', 'HBA1C'].map((name, o) =>
            maxRelativeDifference(out.subarray(o * nT, (o + 1) * nT), column(ref, name))
          )
        );
        expect(worst).toBeLessThan(TOLERANCE);
      });
    }
  }
});
