/**
 * The expressions an imported model may contain, after translation from C++ or R: the
 * model language's own subset (numbers, names, + - * / ^, comparisons, and/or/not, the
 * conditional, exp log log10 sqrt abs pow min max). Names are the source's names, or
 * TIME for the model's time; the writer maps them to the model language's names.
 */
import { compileExpression, ExpressionError, parseExpression } from '../../expr';

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

export type SourceExpr =
  | { k: 'num'; value: number; offset: number; /** As written, for messages. */ text?: string }
  | { k: 'name'; name: string; offset: number }
  | { k: 'call'; fn: string; args: SourceExpr[]; offset: number }
  | { k: 'neg'; a: SourceExpr; offset: number }
  | { k: 'not'; a: SourceExpr; offset: number }
  | { k: 'bin'; op: BinaryOp; a: SourceExpr; b: SourceExpr; offset: number }
  | { k: 'if'; c: SourceExpr; a: SourceExpr; b: SourceExpr; offset: number };

/** The name standing for time in a translated expression (no source name can be it). */
export const TIME = '@time';

/** Every name an expression reads, in order of appearance (repeats included). */
export function namesIn(e: SourceExpr): string[] {
  return nameNodes(e).map((n) => n.name);
}

/** The name nodes of an expression, in order of appearance (for messages at their position). */
export function nameNodes(
  e: SourceExpr,
  out: Extract<SourceExpr, { k: 'name' }>[] = []
): Extract<SourceExpr, { k: 'name' }>[] {
  switch (e.k) {
    case 'num':
      break;
    case 'name':
      out.push(e);
      break;
    case 'call':
      e.args.forEach((a) => nameNodes(a, out));
      break;
    case 'neg':
    case 'not':
      nameNodes(e.a, out);
      break;
    case 'bin':
      nameNodes(e.a, out);
      nameNodes(e.b, out);
      break;
    case 'if':
      nameNodes(e.c, out);
      nameNodes(e.a, out);
      nameNodes(e.b, out);
  }
  return out;
}

/** The expression with every name replaced by `f(name)` (an expression). */
export function substitute(e: SourceExpr, f: (name: string, at: SourceExpr) => SourceExpr): SourceExpr {
  switch (e.k) {
    case 'num':
      return e;
    case 'name':
      return f(e.name, e);
    case 'call':
      return { ...e, args: e.args.map((a) => substitute(a, f)) };
    case 'neg':
    case 'not':
      return { ...e, a: substitute(e.a, f) };
    case 'bin':
      return { ...e, a: substitute(e.a, f), b: substitute(e.b, f) };
    case 'if':
      return { ...e, c: substitute(e.c, f), a: substitute(e.a, f), b: substitute(e.b, f) };
  }
}

/**
 * The value of an expression made of numbers only (R's `log(1.5)` in ini()), or
 * undefined: evaluated by the expression language's own compiler (engine/expr), which
 * refuses any name.
 */
export function constantValue(e: SourceExpr): number | undefined {
  if (namesIn(e).length) return undefined;
  const source = printExpr(e, (name) => name);
  try {
    const value = compileExpression(parseExpression(source), {
      source,
      lookup: () => undefined,
      knownNames: () => []
    })(new Float64Array(0));
    return Number.isFinite(value) ? value : undefined;
  } catch (error) {
    if (error instanceof ExpressionError) return undefined;
    throw error;
  }
}

/** Precedences of the model language's parser (engine/expr/parse.ts). */
const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '^': 8
};
const NOT_PRECEDENCE = 3;
const NEG_PRECEDENCE = 7;
const ATOM = 10;

/** The expression in the model language's syntax, names printed by `name`. */
export function printExpr(e: SourceExpr, name: (source: string) => string): string {
  return print(e, name).text;
}

function print(e: SourceExpr, name: (source: string) => string): { text: string; prec: number } {
  const wrap = (x: { text: string; prec: number }, min: number) => (x.prec < min ? `(${x.text})` : x.text);
  switch (e.k) {
    case 'num':
      return { text: formatNumber(e.value), prec: e.value < 0 ? NEG_PRECEDENCE - 0.5 : ATOM };
    case 'name':
      return { text: name(e.name), prec: ATOM };
    case 'call':
      return { text: `${e.fn}(${e.args.map((a) => print(a, name).text).join(', ')})`, prec: ATOM };
    case 'if':
      return {
        text: `if(${print(e.c, name).text}, ${print(e.a, name).text}, ${print(e.b, name).text})`,
        prec: ATOM
      };
    case 'neg':
      // A negation inside another operation is parenthesised: `a * (-b)`, `(-a)^2`.
      return { text: `-${wrap(print(e.a, name), NEG_PRECEDENCE + 1)}`, prec: NEG_PRECEDENCE - 0.5 };
    case 'not':
      return { text: `not ${wrap(print(e.a, name), NOT_PRECEDENCE + 1)}`, prec: NOT_PRECEDENCE - 0.5 };
    case 'bin': {
      const p = PRECEDENCE[e.op];
      const right = e.op === '^';
      const a = wrap(print(e.a, name), right ? p + 1 : p);
      const b = wrap(print(e.b, name), right ? p : p + 1);
      return { text: e.op === '^' ? `${a}^${b}` : `${a} ${e.op} ${b}`, prec: p };
    }
  }
}

/** Shortest round-tripping decimal, in a form the model language reads (`1e-7`, never `Infinity`). */
export function formatNumber(value: number): string {
  return String(value);
}
