/**
 * How far a patient's data moved each parameter with variability from its typical value
 * (the patient's covariates applied): the individual value at the MAP, its ratio to the
 * typical one, the eta with its posterior SD (Laplace, and from the posterior draws when
 * given) and the eta's shrinkage as the fit reports it (`fitPatient`).
 */
import type { CalibrationModel } from './calibration-model';
import type { PatientFit } from './fit-patient';

export interface ParameterShift {
  parameter: string;
  unit: string;
  typical: number;
  individual: number;
  /** individual / typical. */
  ratio: number;
  eta: number;
  /** Posterior SD of the eta: Laplace (NaN without a covariance) and over the draws (NaN without). */
  sdLaplace: number;
  sdDraws: number;
  shrinkage: number;
}

export function parameterShifts(
  calibration: CalibrationModel,
  fit: PatientFit,
  drawCovariance?: Float64Array
): ParameterShift[] {
  const { etaNames, nEtas: n } = calibration.parameters;
  const declared = calibration.model.parameters;
  return etaNames.map((name, k) => {
    const p = declared.findIndex((d) => d.name === name);
    return {
      parameter: name,
      unit: declared[p].unit,
      typical: fit.typical[p],
      individual: fit.parameters[p],
      ratio: fit.parameters[p] / fit.typical[p],
      eta: fit.eta[k],
      sdLaplace: fit.covariance ? Math.sqrt(fit.covariance[k * n + k]) : NaN,
      sdDraws: drawCovariance ? Math.sqrt(drawCovariance[k * n + k]) : NaN,
      shrinkage: fit.shrinkage[k]
    };
  });
}
