/**
 * The typed tree of a model text: one node per statement, each with the file offset it
 * came from. Expressions are the shared expression tree (engine/expr) plus the offset
 * of their first character, so a name inside one can be reported at its line and
 * column. Symbol tables built from this tree are Maps: a user's name is never a key of
 * a plain object.
 */
import type { Expr } from '../expr';

export interface ModelExpr {
  tree: Expr;
  /** File offset of the expression's first character (tree positions are relative). */
  offset: number;
}

export interface UnitText {
  text: string;
  offset: number;
}

export interface Named {
  name: string;
  offset: number;
}

export interface ParameterStatement extends Named {
  value: number;
  unit?: UnitText;
  description: string;
}

export type Distribution = 'lognormal' | 'normal' | 'logit';

export interface VariabilityStatement extends Named {
  distribution: Distribution;
  variance: number;
  lower?: number;
  upper?: number;
}

export interface CorrelationStatement {
  a: Named;
  b: Named;
  value: number;
  offset: number;
}

/** `NAME = expression [unit] "description"` (covariate, individual, intermediate). */
export interface Assignment extends Named {
  expr: ModelExpr;
  unit?: UnitText;
  description: string;
}

export type PkRoute = 'iv' | 'oral';
export const PK_ARGUMENTS = ['CL', 'V', 'V1', 'Q', 'V2', 'Q3', 'V3', 'KA', 'F', 'TLAG'] as const;
export type PkArgument = (typeof PK_ARGUMENTS)[number];

export interface PkStatement {
  offset: number;
  compartments: 1 | 2 | 3;
  route: PkRoute;
  args: Map<PkArgument, ModelExpr>;
}

export interface StateStatement extends Named {
  initial?: ModelExpr;
  unit?: UnitText;
  description: string;
}

export interface DerivativeStatement {
  state: Named;
  expr: ModelExpr;
  offset: number;
}

export type ErrorModel =
  | { type: 'additive'; additive: number }
  | { type: 'proportional'; proportional: number }
  | { type: 'combined'; additive: number; proportional: number }
  | { type: 'exponential'; additive: number };

export interface OutputStatement extends Assignment {
  error?: ErrorModel;
  /** Declared in the `hazards` block: an event rate per hour. */
  hazard?: boolean;
}

export interface DoseStatement extends Named {
  state: Named;
  /** Expressions of parameters and individual quantities. */
  bioavailability?: ModelExpr;
  lag?: ModelExpr;
  volume?: ModelExpr;
  /** A model-defined infusion of every dose given without its own duration: hours, or amount per hour. */
  duration?: ModelExpr;
  rate?: ModelExpr;
}

export interface ModelTree {
  name?: Named;
  title: string;
  reference: string;
  solver: 'auto' | 'stiff';
  /** Offset of the `solver` statement, when there is one. */
  solverOffset?: number;
  tolerance?: { rtol: number; atol: number };
  parameters: ParameterStatement[];
  variability: VariabilityStatement[];
  correlations: CorrelationStatement[];
  covariates: Assignment[];
  individual: Assignment[];
  pk?: PkStatement;
  states: StateStatement[];
  /** Intermediate quantities of the `odes` block. */
  intermediates: Assignment[];
  derivatives: DerivativeStatement[];
  outputs: OutputStatement[];
  doses: DoseStatement[];
  /**
   * Names that statements with a syntax error would have declared (`d/dt(X)` for a
   * derivative): the checker does not report them as missing, which would only echo
   * the syntax error.
   */
  unparsed: Set<string>;
}

export function emptyTree(): ModelTree {
  return {
    title: '',
    reference: '',
    solver: 'auto',
    parameters: [],
    variability: [],
    correlations: [],
    covariates: [],
    individual: [],
    states: [],
    intermediates: [],
    derivatives: [],
    outputs: [],
    doses: [],
    unparsed: new Set()
  };
}
