/**
 * A real patient's records as a fit reads them: covariates, doses and observations, built
 * from a NONMEM-style table (docs/calibration.md, "Patient data").
 */
import type { Dose } from '../models/dosing';

export interface PatientRecord {
  /** The data's ID, as text. */
  id: string;
  /** Each covariate column's first non-missing value of this ID. */
  covariates: Record<string, number>;
  doses: Dose[];
  observations: PatientObservations;
}

export interface PatientObservations {
  /** h, sorted ascending */
  time: Float64Array;
  /** index into model.outputs */
  output: Int32Array;
  /** DV (for BLQ rows: the limit) */
  value: Float64Array;
  /** 1 = below the quantification limit (M3) */
  blq: Uint8Array;
  /** NaN when none */
  lloq: Float64Array;
}
