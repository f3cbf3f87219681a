/**
 * What a translator (mrgsolve or rxode2) makes of a source file, before variability is
 * recognised, quantities are placed in blocks and names are made the model language's
 * (assemble.ts). Expressions read source names, definition keys (`NAME#n`, see
 * flatten.ts), TIME, and CONCENTRATION for the closed-form PK's concentration.
 */
import type { Definition } from './flatten';
import type { SourceExpr } from './source-expr';

export type Tool = 'mrgsolve' | 'rxode2';

/** The name standing for the closed-form PK's central concentration (`C`). */
export const CONCENTRATION = '@C';

export type ErrorText =
  | { type: 'additive' | 'proportional' | 'exponential'; sd: number }
  | { type: 'combined'; additive: number; proportional: number };

export interface SourceParameter {
  name: string;
  value: number;
  description: string;
}

export interface Compartment {
  name: string;
  initial?: SourceExpr;
  description: string;
}

/** A random effect: mrgsolve's ETA(n) (named `@ETAn`) or an rxode2 eta; its variance. */
export interface Eta {
  name: string;
  /** How the source names it in messages: ETA(1), eta.cl. */
  shown: string;
  variance: number;
}

export interface PkDeclaration {
  compartments: 1 | 2 | 3;
  route: 'iv' | 'oral';
  /** The model language's pk arguments (CL, V1, Q, V2, KA…) and their expressions. */
  args: [string, SourceExpr][];
  F?: SourceExpr;
  TLAG?: SourceExpr;
  offset: number;
}

export interface DoseTarget {
  name: string;
  state: string;
  F?: SourceExpr;
  lag?: SourceExpr;
  /** A model-defined infusion: its duration (h) or its rate (amount/h). */
  duration?: SourceExpr;
  rate?: SourceExpr;
  offset: number;
}

export interface SourceOutput {
  name: string;
  expr: SourceExpr;
  error?: ErrorText;
  description?: string;
  offset: number;
}

export interface ImportedModel {
  tool: Tool;
  name: string;
  title: string;
  reference: string;
  /** The source tool's integration tolerances (its defaults unless the file sets them). */
  tolerance: { rtol: number; atol: number };
  /** Lines printed as comments at the top: what was left out and why. */
  notes: string[];
  parameters: SourceParameter[];
  compartments: Compartment[];
  definitions: Definition<unknown>[];
  derivatives: { state: string; expr: SourceExpr; offset: number }[];
  etas: Eta[];
  /** Off-diagonal covariances of the etas, by name. */
  covariances: { a: string; b: string; value: number; offset: number }[];
  pk?: PkDeclaration;
  doses: DoseTarget[];
  outputs: SourceOutput[];
}

export function emptyModel(
  tool: Tool,
  name: string,
  reference: string,
  tolerance: ImportedModel['tolerance']
): ImportedModel {
  return {
    tool,
    name,
    title: name,
    reference,
    tolerance,
    notes: [],
    parameters: [],
    compartments: [],
    definitions: [],
    derivatives: [],
    etas: [],
    covariances: [],
    doses: [],
    outputs: []
  };
}

/** The settings of a dose target that are given. */
export function doseSettings(d: DoseTarget): SourceExpr[] {
  return [d.F, d.lag, d.duration, d.rate].filter((e): e is SourceExpr => e !== undefined);
}

/** Every expression of a model but its definitions', each replaced by `f` of it. */
export function mapExpressions(model: ImportedModel, f: (e: SourceExpr) => SourceExpr): void {
  model.derivatives.forEach((d) => (d.expr = f(d.expr)));
  model.outputs.forEach((o) => (o.expr = f(o.expr)));
  model.compartments.forEach((c) => c.initial && (c.initial = f(c.initial)));
  for (const d of model.doses) {
    if (d.F) d.F = f(d.F);
    if (d.lag) d.lag = f(d.lag);
    if (d.duration) d.duration = f(d.duration);
    if (d.rate) d.rate = f(d.rate);
  }
  if (model.pk) {
    model.pk.args = model.pk.args.map(([a, e]) => [a, f(e)]);
    if (model.pk.F) model.pk.F = f(model.pk.F);
    if (model.pk.TLAG) model.pk.TLAG = f(model.pk.TLAG);
  }
}
