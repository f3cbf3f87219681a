/**
 * Which statement of a model first gives a value that is not finite (NaN or ±Infinity)
 * for given parameters, time, states and concentration: the checked tree is evaluated
 * in the compiled code's order (individual quantities, intermediates, derivatives,
 * outputs) by a small interpreter with the same semantics, so a profile that went wrong
 * can be traced to the line that made it so.
 */
import type { Expr } from '../expr';
import type { CheckedModel } from './check-model';
import type { ModelExpr } from './model-tree';

export interface NonFiniteValue {
  /** File offset of the statement's expression. */
  offset: number;
  /** What the statement defines: a name, `d/dt(R)` or `output CP`. */
  what: string;
  value: number;
}

export interface EvaluationPoint {
  parameters: Float64Array;
  t: number;
  /** The states (declaration order); null to check individual quantities only. */
  y: Float64Array | null;
  /** The central concentration of a pk model (NaN if unknown). */
  c: number;
}

export function firstNonFinite(checked: CheckedModel, at: EvaluationPoint): NonFiniteValue | undefined {
  const { tree, symbols } = checked;
  const individual = new Float64Array(tree.individual.length);
  const intermediate = new Float64Array(tree.intermediates.length);
  const value = (name: string): number => {
    const s = symbols.get(name)!;
    switch (s.kind) {
      case 'parameter':
        return at.parameters[s.index];
      case 'individual':
        return individual[s.index];
      case 'intermediate':
        return intermediate[s.index];
      case 'state':
        return at.y ? at.y[s.index] : NaN;
      case 'time':
        return at.t;
      case 'concentration':
        return at.c;
      default:
        return NaN;
    }
  };
  const check = (e: ModelExpr, what: string): NonFiniteValue | undefined => {
    const v = evaluate(e.tree, value);
    return Number.isFinite(v) ? undefined : { offset: e.offset, what, value: v };
  };
  for (const i of checked.individualOrder) {
    const a = tree.individual[i];
    individual[i] = evaluate(a.expr.tree, value);
    const bad = check(a.expr, `'${a.name}'`);
    if (bad) return bad;
  }
  if (!at.y) return undefined;
  for (const i of checked.intermediateOrder) {
    const a = tree.intermediates[i];
    intermediate[i] = evaluate(a.expr.tree, value);
    const bad = check(a.expr, `'${a.name}'`);
    if (bad) return bad;
  }
  for (let i = 0; i < checked.derivatives.length; i++) {
    const bad = check(checked.derivatives[i], `d/dt(${tree.states[i].name})`);
    if (bad) return bad;
  }
  for (const o of tree.outputs) {
    const bad = check(o.expr, `output '${o.name}'`);
    if (bad) return bad;
  }
  return undefined;
}

const FUNCTIONS = new Map<string, (...a: number[]) => number>([
  ['exp', Math.exp],
  ['log', Math.log],
  ['log10', Math.log10],
  ['sqrt', Math.sqrt],
  ['abs', Math.abs],
  ['pow', Math.pow],
  ['min', Math.min],
  ['max', Math.max]
]);

/** The value of a checked expression; the semantics of emit-js.ts. */
function evaluate(e: Expr, value: (name: string) => number): number {
  const ev = (x: Expr) => evaluate(x, value);
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'string':
      return NaN;
    case 'name':
      return value(e.name);
    case 'unary':
      return e.op === '-' ? -ev(e.arg) : ev(e.arg) ? 0 : 1;
    case 'call':
      if (e.fn === 'if') return ev(e.args[0]) ? ev(e.args[1]) : ev(e.args[2]);
      return FUNCTIONS.get(e.fn)!(...e.args.map(ev));
    case 'binary': {
      const a = ev(e.left);
      const b = ev(e.right);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '^':
          return Math.pow(a, b);
        case '<':
          return a < b ? 1 : 0;
        case '<=':
          return a <= b ? 1 : 0;
        case '>':
          return a > b ? 1 : 0;
        case '>=':
          return a >= b ? 1 : 0;
        case '==':
          return a === b ? 1 : 0;
        case '!=':
          return a !== b ? 1 : 0;
        case 'and':
          return a && b ? 1 : 0;
        case 'or':
          return a || b ? 1 : 0;
      }
    }
  }
}
