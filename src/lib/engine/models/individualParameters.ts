/**
 * Individual parameters of twins: typical values (model defaults with protocol
 * overrides), times covariate effects, with between-subject variability from correlated
 * etas η = L·z (Ω = L·Lᵀ, z standard normal from the twin's 'iiv' stream):
 *   lognormal    P = TV·e^η
 *   logitnormal  P = lo + (hi − lo)·expit(logit((TV − lo)/(hi − lo)) + η)   (bounded)
 *   normal       P = TV + η
 * Covariate effects on TV: first the model's own (a model text's expressions), then the
 * spec's: power TV·(x/ref)^θ (allometry), linear TV·(1 + θ(x − ref)),
 * exponential TV·e^{θ(x − ref)}, categorical TV·multiplier[level].
 * Draws are keyed by (seed, 'iiv', twin id): twin 17 gets the same etas in any chunk.
 * The steps are public for a Bayesian fit (MAP): `typicalValues`, `applyEtas` (η → P),
 * `drawEtas` (η = L·z) and `priorObjective` (ηᵀΩ⁻¹η); `fill` is exactly their composition.
 */
import { purposeHash, RandomStream } from '../rng/stream';
import { cholesky } from '../../linalg/cholesky';
import type { ModelDefinition } from './modelDefinition';
import { parameterIndex } from './modelDefinition';
import type { ModelSpec } from './spec';

const IIV_PURPOSE = purposeHash('iiv');
const LOGNORMAL = 0,
  LOGITNORMAL = 1,
  NORMAL = 2;
const POWER = 0,
  LINEAR = 1,
  EXPONENTIAL = 2,
  CATEGORICAL = 3;

export class IndividualParameterModel {
  readonly nParameters: number;
  readonly nEtas: number;
  /** Parameter names in iiv order: eta i acts on parameter etaNames[i]. */
  readonly etaNames: readonly string[];
  /** Ω, the etas' covariance (nEtas × nEtas, row-major). */
  readonly omega: Float64Array;
  readonly typical: Float64Array;
  private readonly etaParameter: Int32Array;
  private readonly etaTransform: Uint8Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly cholesky: Float64Array;
  /** Work buffers: standard normals, drawn etas, forward-substitution solution. */
  private readonly z: Float64Array;
  private readonly eta: Float64Array;
  private readonly w: Float64Array;
  private readonly effects: {
    kind: number;
    parameter: number;
    covariate: number;
    reference: number;
    theta: number;
    multipliers: Map<number, number>;
  }[];
  private readonly stream = new RandomStream();
  /** The model's own covariate effects: its covariates' columns, and work buffers. */
  private readonly modelEffects: {
    columns: Int32Array;
    x: Float64Array;
    row: Float64Array;
    apply: (population: Float64Array, x: Float64Array, out: Float64Array) => void;
  } | null;

  /**
   * `covariateNames` gives the column order of the covariate matrix passed to `fill`
   * (categorical covariates as numeric level codes).
   */
  constructor(
    readonly model: ModelDefinition,
    spec: Pick<ModelSpec, 'parameters' | 'iiv' | 'covariates'>,
    readonly covariateNames: readonly string[] = []
  ) {
    this.nParameters = model.parameters.length;
    this.typical = Float64Array.from(model.parameters, (p) => spec.parameters?.[p.name] ?? p.value);
    const iiv = spec.iiv;
    this.nEtas = iiv ? iiv.parameters.length : 0;
    this.etaNames = [...(iiv?.parameters ?? [])];
    this.omega = Float64Array.from((iiv?.omega ?? []).flat());
    this.etaParameter = Int32Array.from(iiv?.parameters ?? [], (n) => parameterIndex(model, n));
    this.etaTransform = Uint8Array.from(iiv?.parameters ?? [], (n) => {
      const t = iiv?.transforms?.[n] ?? 'lognormal';
      return t === 'lognormal' ? LOGNORMAL : t === 'logitnormal' ? LOGITNORMAL : NORMAL;
    });
    this.lower = Float64Array.from(iiv?.parameters ?? [], (n) => iiv?.bounds?.[n]?.[0] ?? 0);
    this.upper = Float64Array.from(iiv?.parameters ?? [], (n) => iiv?.bounds?.[n]?.[1] ?? 1);
    const l = iiv ? cholesky(iiv.omega, 0) : new Float64Array(0);
    if (!l) throw new Error('iiv.omega: must be symmetric positive definite');
    this.cholesky = l;
    this.z = new Float64Array(this.nEtas);
    this.eta = new Float64Array(this.nEtas);
    this.w = new Float64Array(this.nEtas);
    const own = model.covariateEffects;
    this.modelEffects = own
      ? {
          columns: Int32Array.from(own.covariates, (n) => {
            const k = covariateNames.indexOf(n);
            if (k < 0)
              throw new Error(
                `model ${model.name} uses the covariate '${n}', which is not given (have ${covariateNames.join(', ') || 'none'})`
              );
            return k;
          }),
          x: new Float64Array(own.covariates.length),
          row: new Float64Array(this.nParameters),
          apply: own.apply
        }
      : null;
    this.effects = (spec.covariates ?? []).map((c, i) => {
      const covariate = covariateNames.indexOf(c.covariate);
      if (covariate < 0) {
        throw new Error(
          `covariates[${i}].covariate: no covariate '${c.covariate}' (have ${covariateNames.join(', ')})`
        );
      }
      const base = {
        parameter: parameterIndex(model, c.parameter),
        covariate,
        multipliers: new Map<number, number>()
      };
      switch (c.type) {
        case 'power':
          return { ...base, kind: POWER, reference: c.reference, theta: c.exponent };
        case 'linear':
          return { ...base, kind: LINEAR, reference: c.reference, theta: c.slope };
        case 'exponential':
          return { ...base, kind: EXPONENTIAL, reference: c.reference, theta: c.coefficient };
        case 'categorical':
          return {
            ...base,
            kind: CATEGORICAL,
            reference: 0,
            theta: 0,
            multipliers: new Map(Object.entries(c.multipliers).map(([k, v]) => [Number(k), v]))
          };
      }
    });
  }

  /**
   * Typical values of one individual: the model's values (with the spec's overrides)
   * under the model's own covariate expressions, then the spec's covariate effects.
   * `covariates` is one row in `covariateNames` order; `out` has nParameters slots.
   */
  typicalValues(covariates: Float64Array, out: Float64Array): void {
    this.typicalRow(covariates, 0, out, 0);
  }

  /**
   * Individual parameters from typical values and etas, each eta through its parameter's
   * transform (lognormal, normal or logit-normal; see the file comment). `out` may be
   * `typical` itself.
   */
  applyEtas(typical: Float64Array, eta: Float64Array, out: Float64Array): void {
    if (out !== typical) for (let i = 0; i < this.nParameters; i++) out[i] = typical[i];
    this.applyEtasInPlace(eta, out, 0);
  }

  /** The etas of twin `twinId`: η = L·z with z standard normal from (seed, 'iiv', twinId). */
  drawEtas(seed: number, twinId: number, out: Float64Array): void {
    const nE = this.nEtas;
    const { cholesky, z, stream } = this;
    stream.reset(seed, IIV_PURPOSE, twinId);
    for (let i = 0; i < nE; i++) z[i] = stream.normal();
    for (let i = 0; i < nE; i++) {
      let eta = 0;
      for (let j = 0; j <= i; j++) eta += cholesky[i * nE + j] * z[j];
      out[i] = eta;
    }
  }

  /**
   * The prior's part of the MAP objective, ηᵀΩ⁻¹η = ‖w‖² with L·w = η (Ω = L·Lᵀ), w by
   * forward substitution: −2 log of the etas' normal density without its constant
   * terms (as mapbayr's and NONMEM's POSTHOC objective).
   */
  priorObjective(eta: Float64Array): number {
    const nE = this.nEtas;
    const { cholesky, w } = this;
    let sum = 0;
    for (let i = 0; i < nE; i++) {
      let s = eta[i];
      for (let j = 0; j < i; j++) s -= cholesky[i * nE + j] * w[j];
      w[i] = s / cholesky[i * nE + i];
      sum += w[i] * w[i];
    }
    return sum;
  }

  /**
   * Writes the parameter rows of twins `twinIds` into `out` (nTwins × nParameters):
   * typical values, then the twin's drawn etas applied.
   * `covariates` is nTwins × covariateNames.length, row-major.
   */
  fill(seed: number, twinIds: ArrayLike<number>, covariates: Float64Array, out: Float64Array): Float64Array {
    const nP = this.nParameters;
    const nC = this.covariateNames.length;
    const eta = this.eta;
    for (let r = 0; r < twinIds.length; r++) {
      this.typicalRow(covariates, r * nC, out, r * nP);
      if (this.nEtas === 0) continue;
      this.drawEtas(seed, twinIds[r], eta);
      this.applyEtasInPlace(eta, out, r * nP);
    }
    return out;
  }

  /** typicalValues on the covariate row at `c` of a matrix, into `out` at `o`. */
  private typicalRow(covariates: Float64Array, c: number, out: Float64Array, o: number): void {
    const nP = this.nParameters;
    const typical = this.typical;
    for (let i = 0; i < nP; i++) out[o + i] = typical[i];
    const own = this.modelEffects;
    if (own) {
      for (let k = 0; k < own.columns.length; k++) own.x[k] = covariates[c + own.columns[k]];
      own.row.set(typical);
      own.apply(typical, own.x, own.row);
      for (let i = 0; i < nP; i++) out[o + i] = own.row[i];
    }
    for (const e of this.effects) {
      const x = covariates[c + e.covariate];
      let f: number;
      if (e.kind === POWER) f = Math.pow(x / e.reference, e.theta);
      else if (e.kind === LINEAR) f = 1 + e.theta * (x - e.reference);
      else if (e.kind === EXPONENTIAL) f = Math.exp(e.theta * (x - e.reference));
      else f = e.multipliers.get(x) ?? 1;
      out[o + e.parameter] *= f;
    }
  }

  /** Applies `eta` to the typical values in `out` at `o`, in place. */
  private applyEtasInPlace(eta: Float64Array, out: Float64Array, o: number): void {
    for (let i = 0; i < this.nEtas; i++) {
      const k = o + this.etaParameter[i];
      const tv = out[k];
      const transform = this.etaTransform[i];
      if (transform === LOGNORMAL) out[k] = tv * Math.exp(eta[i]);
      else if (transform === NORMAL) out[k] = tv + eta[i];
      else {
        const lo = this.lower[i];
        const span = this.upper[i] - lo;
        const frac = (tv - lo) / span;
        out[k] = lo + span / (1 + Math.exp(-(Math.log(frac / (1 - frac)) + eta[i])));
      }
    }
  }
}
