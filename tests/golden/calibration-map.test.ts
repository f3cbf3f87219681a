import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { parseModelSpec } from '../../src/lib/engine/models/spec';
import { calibrationModel, calibrationCovariates } from '../../src/lib/engine/calibration/calibration-model';
import { PatientObjective } from '../../src/lib/engine/calibration/patient-objective';
import { fitPatient } from '../../src/lib/engine/calibration/fit-patient';
import { readPatientData } from '../../src/lib/io/patient-data';

// MAP estimates against an independent implementation of the same objective: R optim
// (BFGS, reltol 1e-14) on deSolve::lsoda (rtol = atol = 1e-12), tests/golden/calibration/
// map-reference.R, for 12 patients of a 2-compartment oral PK model (one with two BLQ
// samples, M3) and 12 of a PK model with an indirect response observed on both outputs.
const dir = join(__dirname, 'calibration');
interface Reference {
  models: Record<
    string,
    {
      modelFile: string;
      dataFile: string;
      etaNames: string[];
      patients: Record<
        string,
        {
          eta: number[];
          parameters: Record<string, number>;
          typical: Record<string, number>;
          ofv: number;
          ofvAtZero: number;
          covariance: number[][];
          ipred: number[];
        }
      >;
    }
  >;
}
const reference: Reference = JSON.parse(readFileSync(join(dir, 'map-reference.json'), 'utf8'));

let db: NodeConnector;
beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db.close());

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

for (const [name, ref] of Object.entries(reference.models)) {
  describe(`MAP of ${name} patients agrees with R optim`, () => {
    it('matches every patient’s individual parameters to 1e-4, its OFV and Laplace covariance', async () => {
      const file = join(dir, ref.modelFile);
      const { spec, model } = parseModelSpec({ model: { file, text: readFileSync(file, 'utf8') } });
      // Tight tolerances: the objective's finite differences need an accurate solution.
      const calibration = calibrationModel(model, spec, { rtol: 1e-10, atol: 1e-12 });
      expect(calibration.parameters.etaNames).toEqual(ref.etaNames);
      const records = await readPatientData(db, join(dir, ref.dataFile), model, {
        covariates: calibrationCovariates(model, spec)
      });
      expect(records.map((r) => r.id)).toEqual(Object.keys(ref.patients));
      let blq = 0;
      for (const record of records) {
        const expected = ref.patients[record.id];
        blq += record.observations.blq.reduce((s, b) => s + b, 0);
        const fit = fitPatient(new PatientObjective(calibration, record));
        expect(fit.converged, `patient ${record.id}: ${fit.message}`).toBe(true);
        for (const [p, value] of Object.entries(expected.parameters)) {
          const k = model.parameters.findIndex((q) => q.name === p);
          expect(relative(fit.parameters[k], value), `patient ${record.id} ${p}`).toBeLessThan(1e-4);
          expect(
            relative(fit.typical[k], expected.typical[p]),
            `patient ${record.id} typical ${p}`
          ).toBeLessThan(1e-9);
        }
        expect(Math.abs(fit.ofv - expected.ofv), `patient ${record.id} OFV`).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(expected.ofv))
        );
        expect(Math.abs(fit.populationOfv - expected.ofvAtZero)).toBeLessThan(
          1e-7 * Math.max(1, Math.abs(expected.ofvAtZero))
        );
        fit.ipred.forEach((v, j) =>
          expect(relative(v, expected.ipred[j]), `patient ${record.id} IPRED ${j}`).toBeLessThan(1e-4)
        );
        const n = ref.etaNames.length;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            const r = expected.covariance[i][j];
            const scale = Math.sqrt(expected.covariance[i][i] * expected.covariance[j][j]);
            expect(
              Math.abs(fit.covariance![i * n + j] - r) / scale,
              `patient ${record.id} cov[${i}][${j}]`
            ).toBeLessThan(1e-3);
          }
      }
      if (name === 'pk2cmt_oral') expect(blq).toBeGreaterThan(0);
    });
  });
}
