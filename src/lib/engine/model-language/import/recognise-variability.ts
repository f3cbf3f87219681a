/**
 * Random effects → the model language's variability. An eta used once, in the pattern
 * `P * exp(ETA)` (in any product) with P a parameter read nowhere else, becomes
 * `P ~ lognormal(var = ω²)`; in `P + ETA` (in any sum, such as rxode2's
 * `exp(tcl + eta.cl)`) it becomes `P ~ normal(var = ω²)`, and in `log(P) + ETA` (such as
 * `exp(log(TVCL) + ETA(1))`) `P ~ lognormal(var = ω²)`; the eta is then removed from
 * the expression, which is exactly the same individual value. Any other use keeps the
 * eta as a parameter of typical value 0 with normal variability (the same model, less
 * idiomatic). An eta of variance 0 is 0. Covariances become correlations.
 */
import { doseSettings, mapExpressions, type ImportedModel } from './imported-model';
import { namesIn, substitute, type SourceExpr } from './source-expr';

export interface Variability {
  statements: {
    parameter: string;
    distribution: 'lognormal' | 'normal';
    variance: number;
    comment: string;
  }[];
  correlations: { a: string; b: string; value: number }[];
}

export function recogniseVariability(model: ImportedModel): Variability {
  const out: Variability = { statements: [], correlations: [] };
  const reads = countReads(model);
  const parameters = new Set(model.parameters.map((p) => p.name));
  const etaParameter = new Map<string, string>();
  // Replacements of etas, made in one pass at the end (an eta is a name no source can write).
  const replace = new Map<string, (at: SourceExpr) => SourceExpr>();
  const definitionOf = new Map<string, (typeof model.definitions)[number]>();
  for (const d of model.definitions) for (const n of namesIn(d.expr)) definitionOf.set(n, d);
  for (const eta of model.etas) {
    if (!reads.has(eta.name)) continue;
    if (eta.variance === 0) {
      replace.set(eta.name, (at) => ({ k: 'num', value: 0, offset: at.offset }));
      continue;
    }
    const d = reads.get(eta.name) === 1 ? definitionOf.get(eta.name) : undefined;
    const found = d && removeEta(d.expr, eta.name, (p) => parameters.has(p) && reads.get(p) === 1);
    if (d && found) {
      d.expr = found.expr;
      out.statements.push({
        parameter: found.parameter,
        distribution: found.distribution,
        variance: eta.variance,
        comment: eta.shown
      });
      etaParameter.set(eta.name, found.parameter);
      continue;
    }
    const parameter = eta.name.replace(/^@/, '');
    model.parameters.push({ name: parameter, value: 0, description: `random effect ${eta.shown}` });
    replace.set(eta.name, (at) => ({ k: 'name', name: parameter, offset: at.offset }));
    out.statements.push({ parameter, distribution: 'normal', variance: eta.variance, comment: '' });
    etaParameter.set(eta.name, parameter);
  }
  if (replace.size) replaceEverywhere(model, replace);
  for (const c of model.covariances) {
    const a = etaParameter.get(c.a);
    const b = etaParameter.get(c.b);
    const va = model.etas.find((e) => e.name === c.a)!.variance;
    const vb = model.etas.find((e) => e.name === c.b)!.variance;
    if (a && b) out.correlations.push({ a, b, value: c.value / Math.sqrt(va * vb) });
  }
  return out;
}

/** The expression without the eta, when it sits in `P * exp(eta)` or `P + eta`. */
function removeEta(
  e: SourceExpr,
  eta: string,
  alone: (p: string) => boolean
): { expr: SourceExpr; parameter: string; distribution: 'lognormal' | 'normal' } | undefined {
  for (const [op, distribution] of [
    ['*', 'lognormal'],
    ['+', 'normal']
  ] as const) {
    if (e.k === 'bin' && e.op === op) {
      const items = chain(e, op);
      const isEta = (x: SourceExpr) =>
        op === '*'
          ? x.k === 'call' && x.fn === 'exp' && x.args[0].k === 'name' && x.args[0].name === eta
          : x.k === 'name' && x.name === eta;
      const i = items.findIndex(isEta);
      const p = items.find((x) => x.k === 'name' && alone(x.name));
      // log(P) + ETA is log(P * exp(ETA)): NONMEM's and mrgsolve's exp(log(TVCL) + ETA(1)).
      const logP = op === '+' ? items.map(logOf).find((x) => x !== undefined && alone(x)) : undefined;
      if (i >= 0 && ((p && p.k === 'name') || logP)) {
        const rest = items.filter((_, j) => j !== i);
        const expr = rest.reduce((a, b) => ({ k: 'bin', op, a, b, offset: e.offset }));
        if (p && p.k === 'name') return { expr, parameter: p.name, distribution };
        return { expr, parameter: logP!, distribution: 'lognormal' };
      }
    }
  }
  // Look inside: exp(tcl + eta.cl), TVCL * exp(ETA(1)) * (WT/70)^0.75 …
  const visit = (x: SourceExpr, set: (y: SourceExpr) => SourceExpr) => {
    const r = removeEta(x, eta, alone);
    return r && { ...r, expr: set(r.expr) };
  };
  switch (e.k) {
    case 'call':
      for (let i = 0; i < e.args.length; i++) {
        const r = visit(e.args[i], (y) => ({ ...e, args: e.args.map((a, j) => (j === i ? y : a)) }));
        if (r) return r;
      }
      return undefined;
    case 'neg':
    case 'not':
      return visit(e.a, (y) => ({ ...e, a: y }));
    case 'bin':
      return visit(e.a, (y) => ({ ...e, a: y })) ?? visit(e.b, (y) => ({ ...e, b: y }));
    case 'if':
      return (
        visit(e.c, (y) => ({ ...e, c: y })) ??
        visit(e.a, (y) => ({ ...e, a: y })) ??
        visit(e.b, (y) => ({ ...e, b: y }))
      );
    default:
      return undefined;
  }
}

/** P when the expression is log(P) of a name. */
function logOf(x: SourceExpr): string | undefined {
  return x.k === 'call' && x.fn === 'log' && x.args[0].k === 'name' ? x.args[0].name : undefined;
}

/** The operands of a chain of one associative operator: a * b * c → [a, b, c]. */
function chain(e: SourceExpr, op: '*' | '+'): SourceExpr[] {
  return e.k === 'bin' && e.op === op ? [...chain(e.a, op), ...chain(e.b, op)] : [e];
}

function countReads(model: ImportedModel): Map<string, number> {
  const reads = new Map<string, number>();
  for (const e of allExprs(model)) for (const n of namesIn(e)) reads.set(n, (reads.get(n) ?? 0) + 1);
  return reads;
}

function allExprs(model: ImportedModel): SourceExpr[] {
  return [
    ...model.definitions.map((d) => d.expr),
    ...model.derivatives.map((d) => d.expr),
    ...model.outputs.map((o) => o.expr),
    ...model.compartments.flatMap((c) => (c.initial ? [c.initial] : [])),
    ...(model.pk?.args.map(([, e]) => e) ?? []),
    ...model.doses.flatMap(doseSettings),
    ...(model.pk ? [model.pk.F, model.pk.TLAG].filter((x): x is SourceExpr => !!x) : [])
  ];
}

function replaceEverywhere(model: ImportedModel, replace: Map<string, (at: SourceExpr) => SourceExpr>): void {
  const f = (e: SourceExpr) => substitute(e, (n, at) => replace.get(n)?.(at) ?? at);
  model.definitions.forEach((d) => (d.expr = f(d.expr)));
  mapExpressions(model, f);
}
