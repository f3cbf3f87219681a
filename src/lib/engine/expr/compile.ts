import { ExpressionError, type Expr } from './ast';

/**
 * Compiles an expression tree to a closure over a Float64Array of values, one slot per
 * variable. Categorical variables hold level codes; a string literal compared with one
 * is resolved to its code at compile time, so evaluation is pure arithmetic.
 * Booleans are 1 and 0.
 */
export type Evaluator = (v: Float64Array) => number;

export interface VariableInfo {
  slot: number;
  /** Level names for a categorical variable (the code is the index). */
  levels?: readonly string[];
}

export interface CompileContext {
  source: string;
  lookup(name: string): VariableInfo | undefined;
  /** Names the error message offers when a name is unknown. */
  knownNames(): string[];
}

const FUNCTIONS: Record<string, { arity: number | [number, number]; fn: (...a: number[]) => number }> = {
  abs: { arity: 1, fn: Math.abs },
  sqrt: { arity: 1, fn: Math.sqrt },
  exp: { arity: 1, fn: Math.exp },
  log: { arity: 1, fn: Math.log },
  log10: { arity: 1, fn: Math.log10 },
  floor: { arity: 1, fn: Math.floor },
  ceil: { arity: 1, fn: Math.ceil },
  round: { arity: 1, fn: Math.round },
  pow: { arity: 2, fn: Math.pow },
  min: { arity: [1, 16], fn: Math.min },
  max: { arity: [1, 16], fn: Math.max }
};
export const EXPRESSION_FUNCTIONS = Object.keys(FUNCTIONS);

export function compileExpression(e: Expr, ctx: CompileContext): Evaluator {
  const fail = (message: string, pos: number): never => {
    throw new ExpressionError(message, ctx.source, pos);
  };

  function categoricalOf(x: Expr): VariableInfo | undefined {
    if (x.kind !== 'name') return undefined;
    const info = ctx.lookup(x.name);
    return info?.levels ? info : undefined;
  }

  function compile(x: Expr): Evaluator {
    switch (x.kind) {
      case 'number': {
        const value = x.value;
        return () => value;
      }
      case 'string':
        return fail(`a string ('${x.value}') can only be compared with a categorical variable`, x.pos);
      case 'name': {
        const info = ctx.lookup(x.name);
        if (!info) {
          return fail(`unknown variable '${x.name}' (known: ${ctx.knownNames().join(', ')})`, x.pos);
        }
        const slot = info.slot;
        return (v) => v[slot];
      }
      case 'unary': {
        const a = compile(x.arg);
        return x.op === '-' ? (v) => -a(v) : (v) => (a(v) ? 0 : 1);
      }
      case 'call': {
        const f = Object.hasOwn(FUNCTIONS, x.fn) ? FUNCTIONS[x.fn] : undefined;
        if (!f)
          return fail(`unknown function '${x.fn}' (allowed: ${EXPRESSION_FUNCTIONS.join(', ')})`, x.pos);
        const [lo, hi] = typeof f.arity === 'number' ? [f.arity, f.arity] : f.arity;
        if (x.args.length < lo || x.args.length > hi) {
          return fail(
            `${x.fn}() takes ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${x.args.length}`,
            x.pos
          );
        }
        const args = x.args.map(compile);
        const fn = f.fn;
        if (args.length === 1) {
          const a = args[0];
          return (v) => fn(a(v));
        }
        if (args.length === 2) {
          const [a, b] = args;
          return (v) => fn(a(v), b(v));
        }
        return (v) => fn(...args.map((g) => g(v)));
      }
      case 'binary':
        return compileBinary(x);
    }
  }

  function compileBinary(x: Extract<Expr, { kind: 'binary' }>): Evaluator {
    // Categorical comparisons: name == 'level' (either side), resolved to codes.
    if ((x.op === '==' || x.op === '!=') && (x.left.kind === 'string' || x.right.kind === 'string')) {
      const [nameSide, strSide] = x.left.kind === 'string' ? [x.right, x.left] : [x.left, x.right];
      if (strSide.kind !== 'string') return fail(`cannot compare two strings`, x.pos);
      const info = categoricalOf(nameSide);
      if (!info) {
        return fail(`'${strSide.value}' must be compared with a categorical variable`, strSide.pos);
      }
      const code = info.levels!.indexOf(strSide.value);
      if (code < 0) {
        const name = (nameSide as { name: string }).name;
        return fail(
          `'${strSide.value}' is not a level of ${name} (levels: ${info.levels!.join(', ')})`,
          strSide.pos
        );
      }
      const slot = info.slot;
      return x.op === '==' ? (v) => (v[slot] === code ? 1 : 0) : (v) => (v[slot] !== code ? 1 : 0);
    }
    const a = compile(x.left);
    const b = compile(x.right);
    switch (x.op) {
      case '+':
        return (v) => a(v) + b(v);
      case '-':
        return (v) => a(v) - b(v);
      case '*':
        return (v) => a(v) * b(v);
      case '/':
        return (v) => a(v) / b(v);
      case '^':
        return (v) => Math.pow(a(v), b(v));
      case '<':
        return (v) => (a(v) < b(v) ? 1 : 0);
      case '<=':
        return (v) => (a(v) <= b(v) ? 1 : 0);
      case '>':
        return (v) => (a(v) > b(v) ? 1 : 0);
      case '>=':
        return (v) => (a(v) >= b(v) ? 1 : 0);
      case '==':
        return (v) => (a(v) === b(v) ? 1 : 0);
      case '!=':
        return (v) => (a(v) !== b(v) ? 1 : 0);
      case 'and':
        return (v) => (a(v) && b(v) ? 1 : 0);
      case 'or':
        return (v) => (a(v) || b(v) ? 1 : 0);
    }
  }

  return compile(e);
}
