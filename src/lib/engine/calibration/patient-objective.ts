/**
 * The MAP objective of one patient (Bayesian therapeutic drug monitoring, as mapbayr and
 * posologyr compute it; NONMEM's POSTHOC with the prior):
 *
 *   OFV(η) = Σ_j −2·log p(y_j | f_j(η)) + ηᵀΩ⁻¹η
 *
 * with f_j the model's prediction of observation j for individual parameters g(TV_i, η),
 * p the output's residual error density, and observations below the quantification limit
 * through Beal's M3 likelihood, −2·log Φ((LLOQ − f)/sd) (Beal SL, J Pharmacokinet
 * Pharmacodyn 2001;28:481–504). References: Le Louedec F et al., mapbayr, CPT
 * Pharmacometrics Syst Pharmacol 2021;10:1208–1220; Goutelle S et al., posologyr, 2022.
 * A prediction that is not finite (or a solver that fails) makes the objective +Infinity,
 * so the optimiser steps back from it.
 */
import { resolveRegimen, type ResolvedRegimen } from '../models/dosing';
import type { CalibrationModel } from './calibration-model';
import type { PatientRecord } from './patient-record';

export class PatientObjective {
  /** Typical parameter values of this patient (its covariates applied). */
  readonly typical: Float64Array;
  /** Distinct observation times, sorted; each observation's index into them. */
  readonly times: Float64Array;
  readonly timeIndex: Int32Array;
  readonly regimen: ResolvedRegimen;
  readonly nObservations: number;
  /** Individual parameters of the last `predict` (model.parameters order). */
  readonly params: Float64Array;
  /** Predictions of the last `predict`: prediction[o · times.length + k]. */
  readonly prediction: Float64Array;
  /** Number of objective evaluations so far. */
  evaluations = 0;

  constructor(
    readonly calibration: CalibrationModel,
    readonly record: PatientRecord
  ) {
    const { model, parameters, covariateNames } = calibration;
    const covariates = Float64Array.from(covariateNames, (name) => {
      const v = record.covariates[name];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(
          `patient ${record.id}: covariate '${name}' is missing (the model's typical values use it)`
        );
      return v;
    });
    this.typical = new Float64Array(parameters.nParameters);
    parameters.typicalValues(covariates, this.typical);
    const obs = record.observations;
    this.nObservations = obs.time.length;
    if (this.nObservations === 0) throw new Error(`patient ${record.id}: no observations to fit`);
    for (const o of new Set(obs.output)) {
      if (!calibration.residual.outputHasError(o)) {
        const names = calibration.observable.map((k) => model.outputs[k].name).join(', ');
        throw new Error(
          `patient ${record.id}: output '${model.outputs[o].name}' is observed but has no residual error model, so it has no likelihood (outputs with one: ${names})`
        );
      }
    }
    this.times = Float64Array.from(new Set(obs.time)).sort();
    this.timeIndex = Int32Array.from(obs.time, (t) => this.times.indexOf(t));
    this.regimen = resolveRegimen(model, record.doses);
    this.params = new Float64Array(parameters.nParameters);
    this.prediction = new Float64Array(model.outputs.length * this.times.length);
  }

  /** Simulates the patient with etas `eta`; false when the model could not be solved. */
  predict(eta: Float64Array): boolean {
    const { parameters, simulator } = this.calibration;
    parameters.applyEtas(this.typical, eta, this.params);
    try {
      simulator.simulateTwin(this.params, 0, this.regimen, this.times, this.prediction, 1);
    } catch {
      return false;
    }
    return true;
  }

  /** The prediction of observation j after `predict`. */
  predicted(j: number): number {
    const obs = this.record.observations;
    return this.prediction[obs.output[j] * this.times.length + this.timeIndex[j]];
  }

  /** −2 log-likelihood of the observations given the last `predict`. */
  dataObjective(): number {
    const obs = this.record.observations;
    const residual = this.calibration.residual;
    let sum = 0;
    for (let j = 0; j < this.nObservations; j++) {
      sum += residual.observationObjective(
        obs.output[j],
        this.predicted(j),
        obs.value[j],
        obs.blq[j] === 1,
        obs.lloq[j]
      );
    }
    return sum;
  }

  /** OFV(η); +Infinity where the model cannot be solved or a prediction is not finite. */
  value(eta: Float64Array): number {
    this.evaluations++;
    if (!this.predict(eta)) return Infinity;
    const v = this.dataObjective() + this.calibration.parameters.priorObjective(eta);
    return Number.isFinite(v) ? v : Infinity;
  }
}
