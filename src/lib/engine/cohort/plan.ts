import type { Evaluator } from '../expr';
import type { Marginal } from './marginal';

/**
 * A compiled cohort spec: the ordered steps that turn one twin's random draws into its
 * covariate values. Plans hold closures, so each worker compiles its own from the
 * (serialisable) spec; compiling is cheap and deterministic.
 */
export type ColumnKind = 'continuous' | 'categorical' | 'binary' | 'band' | 'derived';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  unit?: string;
  description?: string;
  /** Level names of a categorical or band column (stored values are codes 0..k-1). */
  levels?: string[];
}

/** What a step does; a small integer so the hot loop switches on a number. */
export const StepOp = {
  Continuous: 0,
  Categorical: 1,
  Binary: 2,
  Band: 3,
  Compute: 4,
  Import: 5
} as const;
export type StepOp = (typeof StepOp)[keyof typeof StepOp];

/**
 * One step of a twin's generation. Every step has the same fields in the same order
 * (one hidden class), so the generation loop's property loads stay monomorphic.
 */
export interface Step {
  op: StepOp;
  /** Column the step writes. */
  slot: number;
  /** Categorical column selecting the level-specific parameters, or -1. */
  bySlot: number;
  /** Continuous: index of the latent normal. */
  latent: number;
  /** Band: the continuous column it cuts. */
  of: number;
  /** Rounding factor 10^decimals, 0 for none. */
  round: number;
  /** Continuous: one marginal per level of bySlot (or one). */
  marginals: Marginal[];
  /** Categorical: cumulative probabilities per level of bySlot (or one). */
  cumulative: Float64Array[];
  /** Binary: probability of 1 per level of bySlot (or one). Band: its breaks. */
  values: Float64Array;
  /** Derived: the compiled formula or expression. */
  evaluate: Evaluator;
  /** Derived: the columns it reads (named when its value is not finite). */
  inputs: Int32Array;
}

const NONE = new Float64Array(0);
const NO_INPUTS = new Int32Array(0);
const NAN_EVALUATOR: Evaluator = () => NaN;

export function makeStep(op: StepOp, slot: number, fields: Partial<Omit<Step, 'op' | 'slot'>>): Step {
  return {
    op,
    slot,
    bySlot: fields.bySlot ?? -1,
    latent: fields.latent ?? -1,
    of: fields.of ?? -1,
    round: fields.round ?? 0,
    marginals: fields.marginals ?? [],
    cumulative: fields.cumulative ?? [],
    values: fields.values ?? NONE,
    evaluate: fields.evaluate ?? NAN_EVALUATOR,
    inputs: fields.inputs ?? NO_INPUTS
  };
}

export interface Copula {
  /** Latent indices of the block, in matrix order. */
  latents: Int32Array;
  /** Row-major Cholesky factor of the block's correlation matrix. */
  cholesky: Float64Array;
}

export interface Criterion {
  label: string;
  evaluate: Evaluator;
}

export interface CohortPlan {
  columns: ColumnInfo[];
  latentCount: number;
  copulas: Copula[];
  steps: Step[];
  criteria: Criterion[];
  /** Imported twins: candidate rows are drawn from this many rows. */
  importedRows: number;
  /** Resample imported rows with replacement (otherwise twin i is row i). */
  bootstrap: boolean;
  minAcceptance: number;
  /** Per-twin bound on screening draws, derived from minAcceptance. */
  maxAttempts: number;
}

/** Rounds x to a power-of-ten factor (0 = no rounding). */
export function roundTo(x: number, factor: number): number {
  return factor ? Math.round(x * factor) / factor : x;
}
