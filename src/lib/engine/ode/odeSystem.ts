/**
 * The contract between ODE solvers and whatever they integrate.
 *
 * A system is an object with a fixed dimension whose `rhs` writes dy/dt into a
 * preallocated `dy`. Systems carry their own parameters (set once per twin by the
 * simulator), so the solver's hot loop makes one monomorphic call per stage and
 * allocates nothing.
 */
export interface OdeSystem {
  readonly dimension: number;
  rhs(t: number, y: Float64Array, dy: Float64Array): void;
  /** Optional analytic Jacobian ∂f/∂y, row-major n×n (used by the stiff solver). */
  jacobian?(t: number, y: Float64Array, jac: Float64Array): void;
  /**
   * Optional Dormand–Prince step specialised to this system (stages unrolled, rhs
   * inlined), used by `DormandPrince45` in place of its own: it must do the same
   * arithmetic in the same order, so that results are identical to the bit.
   */
  step?: DormandPrinceStep;
}

/**
 * The arrays of one Dormand–Prince step: k1 = f(t, y) on entry; on return the stages
 * k2..k7, the stage-6 state in yStage and the 5th-order result in yNew.
 */
export interface DormandPrinceWork {
  readonly k1: Float64Array;
  readonly k2: Float64Array;
  readonly k3: Float64Array;
  readonly k4: Float64Array;
  readonly k5: Float64Array;
  readonly k6: Float64Array;
  readonly k7: Float64Array;
  readonly yStage: Float64Array;
  readonly yNew: Float64Array;
}

/** One Dormand–Prince step of size h from (t, y); returns the scaled RMS error estimate. */
export type DormandPrinceStep = (
  t: number,
  h: number,
  tNew: number,
  y: Float64Array,
  work: DormandPrinceWork,
  rtol: number,
  atol: number
) => number;

/** Receives the state at each requested output time (index into the caller's time grid). */
export interface OutputSink {
  record(index: number, t: number, y: Float64Array): void;
}

/**
 * Stops integration where a state component first reaches `level` from below
 * (used for cumulative-hazard event times). After `integrate` returns, `crossed` tells
 * whether the level was reached and `time` where.
 */
export class LevelCrossing {
  crossed = false;
  time = Number.NaN;
  constructor(
    public stateIndex: number,
    public level: number
  ) {}
}

export interface SolverTolerances {
  /** Relative tolerance (per step, mixed error test atol + rtol·|y|). */
  rtol: number;
  /** Absolute tolerance. */
  atol: number;
}

export interface SolverOptions extends SolverTolerances {
  /** Maximum accepted + rejected steps in one `integrate` call before giving up. */
  maxSteps: number;
  /** Largest step allowed (hours); Infinity for none. */
  maxStepSize: number;
}

export const defaultSolverOptions: SolverOptions = {
  rtol: 1e-6,
  atol: 1e-9,
  maxSteps: 100_000,
  maxStepSize: Infinity
};

/** Common surface of the explicit and the stiff solver, so simulators can take either. */
export interface OdeSolver {
  /** Label used in error messages (the simulator sets the twin id here). */
  context: string;
  /** Forget the step size carried over from the previous integration (new twin). */
  resetStepSize(): void;
  /** How many numbers the solver carries from one integration to the next (step size,
   * stiffness counts): what a checkpoint keeps to resume a twin exactly. */
  readonly carriedSize: number;
  /** Writes the carried numbers into `out` from `offset`. */
  saveCarried(out: Float64Array, offset: number): void;
  /** Restores carried numbers written by `saveCarried`. */
  restoreCarried(from: Float64Array, offset: number): void;
  /**
   * Integrates `system` from t0 to t1, updating `y` in place. Output times
   * `times[k..]` that fall in (t0, t1] are passed to `sink` (times must be sorted).
   * Returns the index of the first output time not yet recorded. With `crossing`,
   * integration stops early where the watched state reaches its level.
   */
  integrate(
    system: OdeSystem,
    t0: number,
    t1: number,
    y: Float64Array,
    times: Float64Array,
    k: number,
    sink: OutputSink,
    crossing?: LevelCrossing
  ): number;
}
