/**
 * Checks a parsed model before anything runs, recording every problem with its
 * position: names (unknown, with the closest known one suggested; duplicate; reserved;
 * assigned though a parameter), which names each block may see, derivatives against
 * states, cycles among individual and intermediate quantities, units where both sides
 * declare them, variability and correlations, pk arguments and dose targets. The result
 * holds what the compiler needs: slots and evaluation orders.
 */
import { cholesky } from '../../linalg/cholesky';
import type { Expr } from '../expr';
import { closestName } from './closest-name';
import { FUNCTION_ARITY } from './functions';
import type { Assignment, ModelExpr, ModelTree, Named, PkArgument } from './model-tree';
import type { SourceText } from './source-text';
import { checkUnits, declaredUnit, type UnitScope } from './unit-check';
import { HOUR, multiply, power, sameDimension, type Dimension } from './units';

export type SymbolKind =
  'parameter' | 'individual' | 'state' | 'intermediate' | 'output' | 'time' | 'concentration' | 'covariate';

export interface ModelSymbol {
  kind: SymbolKind;
  /** Slot in its kind's array (parameters, individual quantities, states, intermediates). */
  index: number;
  offset: number;
  unit?: Dimension;
}

export interface CheckedModel {
  /** The model text (for positions of later messages). */
  text: string;
  tree: ModelTree;
  symbols: Map<string, ModelSymbol>;
  /** Individual quantities and intermediates in evaluation order (indices into the tree's lists). */
  individualOrder: number[];
  intermediateOrder: number[];
  /** For each state, its d/dt statement's expression. */
  derivatives: ModelExpr[];
  /** Names used by covariate statements that are no declared name: cohort covariates. */
  covariateNames: string[];
  /** With pk: the output that is the concentration C (the closed-form path's output 0), or -1. */
  concentrationOutput: number;
  omega: number[][];
}

/** Names no declaration may take: time, the language's words and its functions. */
export const RESERVED_NAMES = new Set([
  't',
  'if',
  'and',
  'or',
  'not',
  'true',
  'false',
  ...FUNCTION_ARITY.keys()
]);
/** The states a `pk` declaration provides (and its concentration `C`). */
export const PK_NAMES = ['depot', 'central', 'peripheral1', 'peripheral2'];

const VISIBLE: Record<'covariates' | 'individual' | 'initial' | 'dynamics', ReadonlySet<SymbolKind>> = {
  covariates: new Set(['parameter', 'covariate']),
  individual: new Set(['parameter', 'individual']),
  initial: new Set(['parameter', 'individual']),
  dynamics: new Set(['parameter', 'individual', 'state', 'intermediate', 'time', 'concentration'])
};
const KIND_NAMES: Record<SymbolKind, string> = {
  parameter: 'a parameter',
  individual: 'an individual quantity',
  state: 'a state',
  intermediate: 'an intermediate quantity',
  output: 'an output',
  time: 'the time',
  concentration: 'the concentration',
  covariate: 'a covariate'
};
const SEEN_BY: Record<keyof typeof VISIBLE, string> = {
  covariates: 'a covariate effect sees parameters and cohort covariates',
  individual: 'an individual quantity sees parameters and other individual quantities',
  initial: 'an initial condition, pk argument or dose setting sees parameters and individual quantities',
  dynamics: 'it sees t, parameters, individual quantities, states, intermediates and C'
};

export function checkModel(tree: ModelTree, source: SourceText): CheckedModel {
  const symbols = new Map<string, ModelSymbol>();
  const err = (offset: number, message: string) => source.error(offset, message);
  if (!tree.name) err(0, `the model needs a name: a line 'model NAME'`);

  const declare = (n: Named, kind: SymbolKind, index: number, unit?: Dimension): boolean => {
    if (RESERVED_NAMES.has(n.name) || (tree.pk && (n.name === 'C' || PK_NAMES.includes(n.name)))) {
      err(n.offset, `'${n.name}' is a reserved name`);
      return false;
    }
    const existing = symbols.get(n.name);
    if (existing) {
      if (existing.kind === 'parameter' && kind !== 'parameter')
        err(
          n.offset,
          `'${n.name}' is a parameter (line ${source.position(existing.offset).line}): parameters are assigned only in 'covariates'`
        );
      else err(n.offset, `'${n.name}' is already declared (line ${source.position(existing.offset).line})`);
      return false;
    }
    symbols.set(n.name, { kind, index, offset: n.offset, unit });
    return true;
  };
  const unitOf = (u: { text: string; offset: number } | undefined) => declaredUnit(u, source);

  tree.parameters.forEach((p, i) => declare(p, 'parameter', i, unitOf(p.unit)));
  if (tree.pk) symbols.set('C', { kind: 'concentration', index: 0, offset: tree.pk.offset });
  symbols.set('t', { kind: 'time', index: 0, offset: 0, unit: HOUR });
  tree.states.forEach((s, i) => declare(s, 'state', i, unitOf(s.unit)));
  tree.individual.forEach((a, i) => declare(a, 'individual', i, unitOf(a.unit)));
  tree.intermediates.forEach((a, i) => declare(a, 'intermediate', i, unitOf(a.unit)));

  // Names in covariate statements that nothing declares are the cohort's covariates.
  const covariateNames: string[] = [];
  for (const c of tree.covariates) {
    for (const n of namesOf(c.expr.tree)) {
      if (!symbols.has(n.name) && !RESERVED_NAMES.has(n.name) && !covariateNames.includes(n.name)) {
        covariateNames.push(n.name);
        symbols.set(n.name, {
          kind: 'covariate',
          index: covariateNames.length - 1,
          offset: c.expr.offset + n.pos
        });
      }
    }
  }

  const units: UnitScope = { symbols, source };
  /** Checks an expression's names and units; returns its unit when known. */
  const use = (e: ModelExpr, scope: keyof typeof VISIBLE, expected?: Dimension, what?: string) =>
    checkNames(e, VISIBLE[scope], SEEN_BY[scope], symbols, source, tree.unparsed)
      ? checkUnits(e, units, expected, what)
      : undefined;
  // A quantity without a declared unit takes the unit of its expression, when known.
  const infer = (a: Assignment, scope: keyof typeof VISIBLE) => {
    const s = symbols.get(a.name);
    const unit = use(a.expr, scope, s?.unit, `'${a.name}'`);
    if (s && s.offset === a.offset && !s.unit) s.unit = unit;
  };

  // Covariate effects: assignments to parameters.
  const covaried = new Set<string>();
  for (const c of tree.covariates) {
    const target = symbols.get(c.name);
    if (target?.kind !== 'parameter') {
      err(
        c.offset,
        `'${c.name}' is not a parameter${suggest(c.name, symbols, 'parameter')}: covariate effects change parameters`
      );
      continue;
    }
    if (covaried.has(c.name)) err(c.offset, `a second covariate effect for '${c.name}'`);
    covaried.add(c.name);
    use(c.expr, 'covariates', target.unit, `'${c.name}'`);
  }

  const individualOrder = orderQuantities(tree.individual, 'individual', symbols, source);
  for (const i of individualOrder) infer(tree.individual[i], 'individual');
  checkPk(tree, symbols, source, (e) => use(e, 'initial'));
  for (const s of tree.states)
    if (s.initial) use(s.initial, 'initial', symbols.get(s.name)?.unit, `'${s.name}(0)'`);
  const intermediateOrder = orderQuantities(tree.intermediates, 'intermediate', symbols, source);
  for (const i of intermediateOrder) infer(tree.intermediates[i], 'dynamics');

  const derivatives: ModelExpr[] = new Array(tree.states.length);
  for (const d of tree.derivatives) {
    const s = symbols.get(d.state.name);
    if (!s && tree.unparsed.has(d.state.name)) continue;
    if (s?.kind !== 'state') {
      err(
        d.state.offset,
        `d/dt of '${d.state.name}', which is not a state${suggest(d.state.name, symbols, 'state')}`
      );
      continue;
    }
    if (derivatives[s.index]) {
      err(d.offset, `a second d/dt(${d.state.name})`);
      continue;
    }
    derivatives[s.index] = d.expr;
    const perHour = s.unit ? multiply(s.unit, power(HOUR, -1)) : undefined;
    use(d.expr, 'dynamics', perHour, `d/dt(${d.state.name})`);
  }
  tree.states.forEach((s, i) => {
    if (!derivatives[i] && !tree.unparsed.has(`d/dt(${s.name})`))
      err(s.offset, `state '${s.name}' has no d/dt(${s.name}) in 'odes'`);
  });
  // Whole-model requirements are not repeated when a statement failed to parse.
  const complete = tree.unparsed.size === 0;
  if (complete && !tree.pk && tree.states.length === 0)
    err(0, `a model needs a pk declaration or at least one state`);

  let concentrationOutput = -1;
  tree.outputs.forEach((o, i) => {
    const e = o.expr.tree;
    const same = e.kind === 'name' && e.name === o.name;
    const existing = symbols.get(o.name);
    // An output may repeat the name of the state (or C) it shows: `R = R`.
    if (!(same && (existing?.kind === 'state' || existing?.kind === 'concentration')))
      declare(o, 'output', i);
    if (tree.pk && concentrationOutput < 0 && e.kind === 'name' && e.name === 'C') concentrationOutput = i;
    if (o.hazard) {
      // A hazard is a rate per hour, whatever unit it is written in.
      const declared = unitOf(o.unit);
      const perHour = power(HOUR, -1);
      if (declared && !sameDimension(declared, perHour))
        err(o.unit!.offset, `a hazard is a rate per hour: its unit is [1/h], not [${o.unit!.text}]`);
      use(o.expr, 'dynamics', perHour, `hazard '${o.name}'`);
    } else use(o.expr, 'dynamics', unitOf(o.unit), `output '${o.name}'`);
  });
  if (complete && !tree.pk && tree.outputs.length === 0) err(0, `a model needs at least one output`);

  checkDoses(tree, symbols, source, (e) => use(e, 'initial'));
  const omega = checkVariability(tree, symbols, source);
  return {
    text: source.text,
    tree,
    symbols,
    individualOrder,
    intermediateOrder,
    derivatives,
    covariateNames,
    concentrationOutput,
    omega
  };
}

interface NameUse {
  name: string;
  pos: number;
}

function namesOf(e: Expr, out: NameUse[] = []): NameUse[] {
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'name') out.push({ name: x.name, pos: x.pos });
    else if (x.kind === 'unary') stack.push(x.arg);
    else if (x.kind === 'binary') stack.push(x.right, x.left);
    else if (x.kind === 'call') stack.push(...[...x.args].reverse());
  }
  return out;
}

/** Names, functions and literals of one expression; false when a problem was recorded. */
function checkNames(
  e: ModelExpr,
  visible: ReadonlySet<SymbolKind>,
  seenBy: string,
  symbols: Map<string, ModelSymbol>,
  source: SourceText,
  unparsed: ReadonlySet<string>
): boolean {
  let ok = true;
  const stack: Expr[] = [e.tree];
  while (stack.length) {
    const x = stack.pop()!;
    const at = e.offset + x.pos;
    if (x.kind === 'name') {
      const s = symbols.get(x.name);
      if (!s && unparsed.has(x.name)) ok = false;
      else if (!s) {
        const near = closestName(
          x.name,
          [...symbols].filter(([, v]) => visible.has(v.kind)).map(([k]) => k)
        );
        source.error(at, `unknown name '${x.name}'${near ? `; did you mean '${near}'?` : ''}`);
        ok = false;
      } else if (!visible.has(s.kind)) {
        source.error(at, `'${x.name}' (${KIND_NAMES[s.kind]}) cannot be used here: ${seenBy}`);
        ok = false;
      }
    } else if (x.kind === 'number') {
      if (!Number.isFinite(x.value)) {
        source.error(at, `number out of range`);
        ok = false;
      }
    } else if (x.kind === 'string') {
      source.error(at, `text is not allowed in an expression`);
      ok = false;
    } else if (x.kind === 'unary') stack.push(x.arg);
    else if (x.kind === 'binary') stack.push(x.left, x.right);
    else {
      const arity = FUNCTION_ARITY.get(x.fn);
      if (!arity) {
        const near = closestName(x.fn, FUNCTION_ARITY.keys());
        source.error(
          at,
          `unknown function '${x.fn}'${near ? `; did you mean '${near}'?` : ''} (functions: ${[...FUNCTION_ARITY.keys()].join(', ')})`
        );
        ok = false;
      } else if (x.args.length < arity[0] || x.args.length > arity[1]) {
        const n = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
        source.error(at, `${x.fn}() takes ${n} arguments, got ${x.args.length}`);
        ok = false;
      }
      stack.push(...x.args);
    }
  }
  return ok;
}

function suggest(name: string, symbols: Map<string, ModelSymbol>, kind: SymbolKind): string {
  const near = closestName(
    name,
    [...symbols].filter(([, v]) => v.kind === kind).map(([k]) => k)
  );
  return near ? `; did you mean '${near}'?` : '';
}

/**
 * Dependency order of quantities that refer to each other (Kahn's algorithm, no
 * recursion); a quantity on a cycle is reported with the cycle.
 */
function orderQuantities(
  list: Assignment[],
  kind: SymbolKind,
  symbols: Map<string, ModelSymbol>,
  source: SourceText
): number[] {
  const deps = list.map((a) => {
    const out = new Set<number>();
    for (const n of namesOf(a.expr.tree)) {
      const s = symbols.get(n.name);
      if (s?.kind === kind && list[s.index]?.name === n.name) out.add(s.index);
    }
    return out;
  });
  const users: number[][] = list.map(() => []);
  const waiting = deps.map((d) => d.size);
  deps.forEach((d, i) => d.forEach((j) => users[j].push(i)));
  const order: number[] = [];
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  while (ready.length) {
    const i = ready.pop()!;
    order.push(i);
    for (const u of users[i]) if (--waiting[u] === 0) ready.push(u);
  }
  if (order.length < list.length) {
    const reported = new Set<number>();
    for (let i = 0; i < list.length; i++) {
      if (waiting[i] === 0 || reported.has(i)) continue;
      // Walk through unresolved dependencies until one repeats: that is a cycle.
      const path: number[] = [];
      const at = new Map<number, number>();
      let k = i;
      while (!at.has(k)) {
        at.set(k, path.length);
        path.push(k);
        k = [...deps[k]].find((j) => waiting[j] > 0)!;
      }
      const cycle = path.slice(at.get(k));
      if (cycle.some((c) => reported.has(c))) continue;
      cycle.forEach((c) => reported.add(c));
      const shown = cycle.length > 8 ? [...cycle.slice(0, 4), -1, ...cycle.slice(-2)] : cycle;
      const names = [...shown, cycle[0]].map((c) => (c < 0 ? '…' : list[c].name)).join(' → ');
      source.error(
        list[cycle[0]].offset,
        `a cycle among ${kind} quantities${cycle.length > 8 ? ` (${cycle.length} of them)` : ''}: ${names}`
      );
    }
  }
  return order;
}

const PK_REQUIRED: Record<1 | 2 | 3, PkArgument[]> = {
  1: ['CL'],
  2: ['CL', 'Q', 'V2'],
  3: ['CL', 'Q', 'V2', 'Q3', 'V3']
};

function checkPk(
  tree: ModelTree,
  symbols: Map<string, ModelSymbol>,
  source: SourceText,
  use: (e: ModelExpr) => void
): void {
  const pk = tree.pk;
  if (!pk) return;
  const need = [...PK_REQUIRED[pk.compartments], ...(pk.route === 'oral' ? (['KA'] as const) : [])];
  const missing: string[] = need.filter((a) => !pk.args.has(a));
  if (pk.args.has('V') === pk.args.has('V1'))
    missing.push(pk.args.has('V') ? 'only one of V and V1' : 'V (or V1)');
  if (missing.length) source.error(pk.offset, `the pk declaration needs ${missing.join(', ')}`);
  for (const [name, e] of pk.args) {
    const allowed =
      need.includes(name) ||
      name === 'V' ||
      name === 'V1' ||
      (pk.route === 'oral' && (name === 'F' || name === 'TLAG'));
    if (!allowed) {
      source.error(
        e.offset,
        `${name} is not an argument of a ${pk.compartments}-compartment ${pk.route} pk model`
      );
      continue;
    }
    use(e);
  }
  if (tree.doses.length)
    source.error(tree.doses[0].offset, `with a pk declaration the dose targets are depot (oral) and central`);
  // The states of a pk model are integrated with the closed-form concentration as input,
  // by Dormand–Prince with stiffness detection; no Rosenbrock-from-the-start path exists.
  if (tree.solver === 'stiff')
    source.error(
      tree.solverOffset ?? pk.offset,
      `solver stiff is for models without pk (with pk the states run on Dormand–Prince with stiffness detection)`
    );
}

function checkDoses(
  tree: ModelTree,
  symbols: Map<string, ModelSymbol>,
  source: SourceText,
  use: (e: ModelExpr) => void
): void {
  const names = new Set<string>();
  for (const d of tree.doses) {
    if (names.has(d.name)) source.error(d.offset, `a second dose target '${d.name}'`);
    names.add(d.name);
    if (symbols.get(d.state.name)?.kind !== 'state')
      source.error(
        d.state.offset,
        `'${d.state.name}' is not a state${suggest(d.state.name, symbols, 'state')}`
      );
    // Dose settings are expressions of parameters and individual quantities.
    for (const e of [d.bioavailability, d.lag, d.volume, d.duration, d.rate]) if (e) use(e);
  }
}

function checkVariability(
  tree: ModelTree,
  symbols: Map<string, ModelSymbol>,
  source: SourceText
): number[][] {
  const index = new Map<string, number>();
  tree.variability.forEach((v) => {
    const p = symbols.get(v.name);
    if (p?.kind !== 'parameter') {
      source.error(
        v.offset,
        `variability for '${v.name}', which is not a parameter${suggest(v.name, symbols, 'parameter')}`
      );
      return;
    }
    if (index.has(v.name)) {
      source.error(v.offset, `a second variability statement for '${v.name}'`);
      return;
    }
    if (v.distribution === 'logit') {
      const lower = v.lower ?? 0;
      const upper = v.upper ?? 1;
      const typical = tree.parameters[p.index].value;
      if (!(lower < upper)) source.error(v.offset, `lower (${lower}) must be below upper (${upper})`);
      else if (!(typical > lower && typical < upper))
        source.error(
          v.offset,
          `the typical value of ${v.name} (${typical}) must lie strictly between lower (${lower}) and upper (${upper})`
        );
    } else if (v.lower !== undefined || v.upper !== undefined) {
      source.error(v.offset, `lower and upper are for logit variability`);
    }
    index.set(v.name, index.size);
  });
  const variances = [...index.keys()].map((n) => tree.variability.find((v) => v.name === n)!.variance);
  const omega = variances.map((vi, i) => variances.map((vj, j) => (i === j ? vi : 0)));
  const pairs = new Set<string>();
  for (const c of tree.correlations) {
    const i = index.get(c.a.name);
    const j = index.get(c.b.name);
    let ok = true;
    for (const [n, k] of [
      [c.a, i],
      [c.b, j]
    ] as const) {
      if (k === undefined) {
        source.error(n.offset, `cor() of '${n.name}', which has no variability statement`);
        ok = false;
      }
    }
    if (!(c.value > -1 && c.value < 1)) {
      source.error(c.offset, `a correlation lies strictly between -1 and 1, got ${c.value}`);
      ok = false;
    }
    if (!ok || i === undefined || j === undefined) continue;
    const key = i < j ? `${i},${j}` : `${j},${i}`;
    if (i === j) source.error(c.offset, `cor() of '${c.a.name}' with itself`);
    else if (pairs.has(key)) source.error(c.offset, `a second cor(${c.a.name}, ${c.b.name})`);
    else {
      pairs.add(key);
      omega[i][j] = omega[j][i] = c.value * Math.sqrt(variances[i] * variances[j]);
    }
  }
  if (omega.length && tree.correlations.length && !cholesky(omega, 0))
    source.error(
      tree.correlations[0].offset,
      `the correlations give a covariance matrix that is not positive definite`
    );
  return omega;
}
