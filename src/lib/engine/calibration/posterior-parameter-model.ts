import { choleskyInto } from '../../linalg/cholesky';
import type { IndividualParameterModel } from '../models/individualParameters';
import type { ParameterSource } from '../models/parameter-source';
import { purposeHash, RandomStream } from '../rng';
import { covarianceColumns, etaColumn } from './fits-columns';

/** The stream IndividualParameterModel.drawEtas draws z from: (seed, 'iiv', twin id). */
const IIV_PURPOSE = purposeHash('iiv');

/**
 * Individual parameters of twins of calibrated patients, each from its own posterior:
 * η = η̂ + L·z, with η̂ the patient's MAP etas, L the Cholesky factor of their Laplace
 * posterior covariance and z standard normal from the twin's 'iiv' stream (seed, twin
 * id), so twin 17 is the same in any chunk; then the typical values from the patient's
 * covariates and the model's eta transforms (`applyEtas`). With `mode`, η = η̂ (the MAP
 * parameters themselves). A covariance of zeros (the fit had none) also gives η̂.
 * η̂ and the covariance are read from the twin's own columns (`eta_<P>`, `cov_<Pi>_<Pj>`),
 * so the cohort carries each twin's posterior.
 */
export class PosteriorParameterModel implements ParameterSource {
  readonly nParameters: number;
  private readonly nEtas: number;
  /** Columns of the covariate row: the population model's covariates, η̂, the lower triangle. */
  private readonly modelColumns: Int32Array;
  private readonly etaColumns: Int32Array;
  private readonly covColumns: Int32Array;
  private readonly stream = new RandomStream();
  /** Work buffers: one covariate row, typical values, parameters, etas, covariance, L. */
  private readonly row: Float64Array;
  private readonly typical: Float64Array;
  private readonly params: Float64Array;
  private readonly eta: Float64Array;
  private readonly z: Float64Array;
  private readonly covariance: Float64Array;
  private readonly factor: Float64Array;

  /**
   * `covariateNames` is the column order of `fill`'s covariate rows: it must hold the
   * population model's covariates, `eta_<P>` for each of its etas and their
   * `cov_<Pi>_<Pj>` (see fits-columns.ts).
   */
  constructor(
    private readonly population: IndividualParameterModel,
    readonly covariateNames: readonly string[],
    readonly mode: boolean
  ) {
    const column = (name: string) => {
      const k = covariateNames.indexOf(name);
      if (k < 0)
        throw new Error(`no column '${name}' for the twins' posterior (have ${covariateNames.join(', ')})`);
      return k;
    };
    this.nParameters = population.nParameters;
    const nE = (this.nEtas = population.nEtas);
    this.modelColumns = Int32Array.from(population.covariateNames, column);
    this.etaColumns = Int32Array.from(population.etaNames, (p) => column(etaColumn(p)));
    this.covColumns = Int32Array.from(covarianceColumns(population.etaNames), column);
    this.row = new Float64Array(population.covariateNames.length);
    this.typical = new Float64Array(this.nParameters);
    this.params = new Float64Array(this.nParameters);
    this.eta = new Float64Array(nE);
    this.z = new Float64Array(nE);
    this.covariance = new Float64Array(nE * nE);
    this.factor = new Float64Array(nE * nE);
  }

  fill(seed: number, twinIds: ArrayLike<number>, covariates: Float64Array, out: Float64Array): Float64Array {
    const nC = this.covariateNames.length;
    const nP = this.nParameters;
    const { row, typical, params, eta } = this;
    for (let r = 0; r < twinIds.length; r++) {
      const c = r * nC;
      for (let k = 0; k < row.length; k++) row[k] = covariates[c + this.modelColumns[k]];
      this.population.typicalValues(row, typical);
      for (let i = 0; i < this.nEtas; i++) eta[i] = covariates[c + this.etaColumns[i]];
      if (!this.mode) this.addPosteriorDraw(seed, twinIds[r], covariates, c);
      this.population.applyEtas(typical, eta, params);
      out.set(params, r * nP);
    }
    return out;
  }

  /** η += L·z for the twin whose covariate row starts at `c`; nothing for a zero covariance. */
  private addPosteriorDraw(seed: number, twinId: number, covariates: Float64Array, c: number): void {
    const nE = this.nEtas;
    const { covariance, factor, z, eta } = this;
    let any = false;
    for (let i = 0, k = 0; i < nE; i++) {
      for (let j = 0; j <= i; j++, k++) {
        const v = covariates[c + this.covColumns[k]];
        covariance[i * nE + j] = v;
        if (v !== 0) any = true;
      }
    }
    if (!any) return;
    if (!choleskyInto(covariance, nE, factor, 0)) {
      throw new Error(`twin ${twinId}: its patient's posterior covariance is not positive definite`);
    }
    this.stream.reset(seed, IIV_PURPOSE, twinId);
    for (let i = 0; i < nE; i++) z[i] = this.stream.normal();
    for (let i = 0; i < nE; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += factor[i * nE + j] * z[j];
      eta[i] += s;
    }
  }
}
