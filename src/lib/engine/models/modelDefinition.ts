/**
 * How a model is declared, in blocks (after mrgsolve / rxode2): parameters with typical
 * value, unit and description; states; right-hand side; derived outputs; dose targets.
 * Variability and residual error are attached by the protocol (see spec.ts), not here.
 *
 * Two kinds:
 * - `OdeModel`: the generic form. Any system `rhs(t, y, p, dy)` writing into dy. A new
 *   model is one file exporting one of these; the solvers need no change.
 * - `PkPdModel`: a linear 1/2/3-compartment PK declaration plus an optional PD
 *   declaration driven by the central concentration. It can be simulated exactly in
 *   closed form (PK only), in hybrid form (closed-form PK inside the PD rhs, only PD
 *   states integrated) or as one full ODE system (`toOdeModel`).
 *
 * Parameter vectors are Float64Arrays in declaration order; for a PK/PD model the PK
 * parameters come first, then the PD parameters.
 */
import type { PkStructure } from '../pk/linearCompartmentModes';
import type { DormandPrinceWork, SolverTolerances } from '../ode/odeSystem';

export interface ParameterDeclaration {
  name: string;
  /** Typical value. */
  value: number;
  unit: string;
  description: string;
}

export interface StateDeclaration {
  name: string;
  unit: string;
  description: string;
}

export interface OutputDeclaration {
  name: string;
  unit: string;
  description: string;
  /** An event rate per hour (a model text's `hazards` block) a time-to-event endpoint may name. */
  hazard?: boolean;
}

export interface DoseTargetDeclaration {
  /** Name used by regimens, e.g. 'depot' (oral) or 'central' (IV). */
  name: string;
  /** State index the dose enters. */
  state: number;
  /** Parameter giving the fraction absorbed (default 1). */
  bioavailability?: string;
  /** Parameter giving the absorption lag time in hours (default 0). */
  lag?: string;
  /** Parameter dividing the amount when the state is a concentration (e.g. 'V'). */
  volume?: string;
}

/**
 * Covariate effects a model declares itself (a model text's `covariates` block):
 * `apply` writes a twin's typical values into `out` (one slot per parameter; the slots
 * it does not write keep their value) from the population values and the twin's
 * covariates `x`, given in the order of `covariates`.
 */
export interface ModelCovariateEffects {
  covariates: readonly string[];
  apply(population: Float64Array, x: Float64Array, out: Float64Array): void;
}

interface ModelBase {
  /** Registry name, e.g. 'pk2cmt_oral+idr1'. */
  name: string;
  title: string;
  /** Where the equations come from. */
  reference: string;
  parameters: readonly ParameterDeclaration[];
  outputs: readonly OutputDeclaration[];
  doseTargets: readonly DoseTargetDeclaration[];
  /** Default solver tolerances. */
  tolerance: SolverTolerances;
  covariateEffects?: ModelCovariateEffects;
  /**
   * Every dose target's bioavailability (F divided by the volume) and lag from the
   * parameter vector, when a model text writes them as expressions; without it they are
   * the parameters the dose targets name.
   */
  doseFactors?(
    p: Float64Array,
    bioavailability: Float64Array,
    lag: Float64Array,
    duration?: Float64Array,
    rate?: Float64Array
  ): void;
  /** `doseFactors` also writes each target's infusion duration and rate (0: none). */
  doseInfusions?: boolean;
}

export interface OdeModel extends ModelBase {
  kind: 'ode';
  states: readonly StateDeclaration[];
  /** Use the stiff (Rosenbrock) solver by default. */
  stiff: boolean;
  initial(p: Float64Array, y: Float64Array): void;
  rhs(t: number, y: Float64Array, p: Float64Array, dy: Float64Array): void;
  /** Optional analytic ∂f/∂y, row-major; makes the stiff solver exact to its order. */
  jacobian?(t: number, y: Float64Array, p: Float64Array, jac: Float64Array): void;
  output(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /**
   * Optional Dormand–Prince step specialised to the model (a compiled model text's),
   * identical to the bit to the solver's own; `input` is the infusion rates or null.
   */
  step?(
    t: number,
    h: number,
    tNew: number,
    y: Float64Array,
    p: Float64Array,
    input: Float64Array | null,
    work: DormandPrinceWork,
    rtol: number,
    atol: number
  ): number;
}

/** Micro rate constants written by a linear PK declaration, in this order. */
export const RATE_KA = 0,
  RATE_K10 = 1,
  RATE_K12 = 2,
  RATE_K21 = 3,
  RATE_K13 = 4,
  RATE_K31 = 5,
  RATE_VC = 6,
  RATE_COUNT = 7;
/**
 * The same indices as one object, for hot code: copy them into module-level constants
 * (`const { RATE_K10 } = RATE_INDEX`), which compile to literals even where imported
 * bindings compile to property getters (CommonJS transpilation).
 */
export const RATE_INDEX = {
  RATE_KA,
  RATE_K10,
  RATE_K12,
  RATE_K21,
  RATE_K13,
  RATE_K31,
  RATE_VC,
  RATE_COUNT
} as const;

export interface LinearPkDeclaration {
  name: string;
  reference: string;
  structure: PkStructure;
  parameters: readonly ParameterDeclaration[];
  states: readonly StateDeclaration[];
  doseTargets: readonly DoseTargetDeclaration[];
  /** Writes [ka, k10, k12, k21, k13, k31, Vc] (see RATE_*) from the parameters. */
  rates(p: Float64Array, out: Float64Array): void;
}

/**
 * A pharmacodynamic (or disease, tumour) block driven by the central concentration.
 * `q` holds only this block's parameters; `y` only its states.
 */
export interface PdDeclaration {
  name: string;
  title: string;
  reference: string;
  parameters: readonly ParameterDeclaration[];
  states: readonly StateDeclaration[];
  outputs: readonly OutputDeclaration[];
  /** Tolerances this block needs (tighter of PK and PD is used). */
  tolerance?: SolverTolerances;
  /**
   * The rhs is A·y + b(t, conc) with A depending only on q (`affineInStates`, set by the
   * model compiler): the hybrid simulator may then solve it exactly between doses.
   */
  affine?: boolean;
  initial(q: Float64Array, y: Float64Array): void;
  rhs(t: number, y: Float64Array, q: Float64Array, dy: Float64Array, conc: number): void;
  output(t: number, y: Float64Array, q: Float64Array, conc: number, out: Float64Array): void;
  /**
   * Optional Dormand–Prince step specialised to the block (a compiled model text's): as
   * `OdeModel.step`, with the concentration at each stage's time read from `conc`
   * (start, the four inner stages, end: `STAGES` of the scalar solver).
   */
  step?(
    t: number,
    h: number,
    tNew: number,
    y: Float64Array,
    q: Float64Array,
    conc: Float64Array,
    work: DormandPrinceWork,
    rtol: number,
    atol: number
  ): number;
}

export interface PkPdModel extends ModelBase {
  kind: 'pkpd';
  pk: LinearPkDeclaration;
  pd: PdDeclaration | null;
}

export type ModelDefinition = OdeModel | PkPdModel;

/** Index of a parameter by name, with an error that lists the names that exist. */
export function parameterIndex(
  model: { name: string; parameters: readonly ParameterDeclaration[] },
  name: string
): number {
  const i = model.parameters.findIndex((p) => p.name === name);
  if (i < 0) {
    throw new Error(
      `model ${model.name} has no parameter '${name}' (has ${model.parameters.map((p) => p.name).join(', ')})`
    );
  }
  return i;
}

/** Typical parameter values in declaration order. */
export function typicalParameters(model: ModelDefinition): Float64Array {
  return Float64Array.from(model.parameters, (p) => p.value);
}
