/**
 * Simulated patient data for the calibration benchmark and tests: n patients of a model
 * spec, each with four doses 12 h apart and six observations over two days, etas drawn
 * from the model's own Ω (the 'iiv' stream of `seed`) and additive/proportional/combined
 * residual error y = f + sd(f)·ε; a value below `lloq` is reported BLQ (M3) with DV = LLOQ.
 * Written as the NONMEM-style CSV `twinbench calibrate` reads (docs/calibration.md).
 */
import { calibrationModel } from '../../src/lib/engine/calibration/calibration-model';
import { PatientObjective } from '../../src/lib/engine/calibration/patient-objective';
import type { PatientRecord } from '../../src/lib/engine/calibration/patient-record';
import { parseModelSpec, type ModelSpec } from '../../src/lib/engine/models/spec';
import { purposeHash, RandomStream } from '../../src/lib/engine/rng/stream';

export interface SimulatedDataOptions {
  n: number;
  seed: number;
  /** Range of each covariate the model needs, drawn uniformly per patient. */
  covariates?: Record<string, [number, number]>;
  /** Dose amount (default 100) and infusion duration (default 0: bolus/oral). */
  amount?: number;
  duration?: number;
  lloq?: number;
}

const DOSE_TIMES = [0, 12, 24, 36];
/** Nominal sampling times (h); each patient's are moved by up to ±0.25 h. */
const SAMPLE_TIMES = [1, 3, 11.5, 25, 30, 47.5];
const DATA_PURPOSE = purposeHash('bench:calibration-data');

export interface SimulatedData {
  csv: string;
  /** True etas, n × nEta. */
  eta: Float64Array;
}

export function simulatePatientData(
  modelSpec: ModelSpec | { model: { file: string; text: string } },
  o: SimulatedDataOptions
): SimulatedData {
  const { model, spec } = parseModelSpec(modelSpec);
  const calibration = calibrationModel(model, spec);
  const { parameters, residual } = calibration;
  const target = model.doseTargets[0].name;
  const output = calibration.observable[0];
  const outputName = model.outputs[output].name;
  const lloq = o.lloq ?? 0.05;
  const covariateNames = Object.keys(o.covariates ?? {});
  const stream = new RandomStream();
  const eta = new Float64Array(o.n * parameters.nEtas);
  const lines = [
    ['ID', 'TIME', 'AMT', 'DV', 'EVID', 'MDV', 'CMT', 'DUR', 'BLQ', 'LLOQ', ...covariateNames].join(',')
  ];
  for (let i = 1; i <= o.n; i++) {
    stream.reset(o.seed, DATA_PURPOSE, i);
    const covariates = Object.fromEntries(
      covariateNames.map((c) => {
        const [lo, hi] = o.covariates![c];
        return [c, Math.round((lo + (hi - lo) * stream.uniform()) * 10) / 10];
      })
    );
    const times = Float64Array.from(
      SAMPLE_TIMES,
      (t) => Math.round((t + 0.5 * (stream.uniform() - 0.5)) * 100) / 100
    );
    const m = times.length;
    const record: PatientRecord = {
      id: String(i),
      covariates,
      doses: DOSE_TIMES.map((time) => ({ time, amount: o.amount ?? 100, target, duration: o.duration })),
      observations: {
        time: times,
        output: new Int32Array(m).fill(output),
        value: new Float64Array(m),
        blq: new Uint8Array(m),
        lloq: new Float64Array(m).fill(NaN)
      }
    };
    const objective = new PatientObjective(calibration, record);
    const e = eta.subarray((i - 1) * parameters.nEtas, i * parameters.nEtas);
    parameters.drawEtas(o.seed, i, e);
    objective.predict(e);
    const covariateValues = covariateNames.map((c) => covariates[c]);
    const rows: [number, string][] = DOSE_TIMES.map((t) => [
      t,
      [i, t, o.amount ?? 100, '.', 1, 1, target, o.duration ?? 0, 0, '.', ...covariateValues].join(',')
    ]);
    for (let j = 0; j < m; j++) {
      const f = objective.predicted(j);
      const y = f + residual.sd(output, f) * stream.normal();
      const blq = y < lloq;
      rows.push([
        times[j],
        [i, times[j], 0, blq ? lloq : y, 0, 0, outputName, 0, blq ? 1 : 0, lloq, ...covariateValues].join(',')
      ]);
    }
    // Doses before observations at the same time; a stable sort keeps that order.
    rows.sort((a, b) => a[0] - b[0]);
    lines.push(...rows.map((r) => r[1]));
  }
  return { csv: lines.join('\n') + '\n', eta };
}
