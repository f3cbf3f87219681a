/**
 * Pratt parser for the expressions of C++ (mrgsolve) and R (rxode2) model code, to the
 * model language's subset (source-expr.ts). What that subset cannot say is refused at
 * its position: the construct named, never skipped or approximated.
 */
import type { Cursor } from './cursor';
import { TIME, type BinaryOp, type SourceExpr } from './source-expr';
import { SourceError, type Token } from './tokens';

interface Infix {
  op: BinaryOp;
  prec: number;
  right?: boolean;
}

/** Comparisons and arithmetic, where C++ and R agree (C++ ranks == below <). */
const ARITHMETIC: Record<string, Infix> = {
  '<': { op: '<', prec: 4 },
  '<=': { op: '<=', prec: 4 },
  '>': { op: '>', prec: 4 },
  '>=': { op: '>=', prec: 4 },
  '+': { op: '+', prec: 5 },
  '-': { op: '-', prec: 5 },
  '*': { op: '*', prec: 6 },
  '/': { op: '/', prec: 6 }
};
const C_INFIX: Record<string, Infix> = {
  ...ARITHMETIC,
  '||': { op: 'or', prec: 1 },
  '&&': { op: 'and', prec: 2 },
  '==': { op: '==', prec: 3 },
  '!=': { op: '!=', prec: 3 }
};
const C_TERNARY = 0.5;
const C_UNARY = 7;

const R_INFIX: Record<string, Infix> = {
  ...ARITHMETIC,
  '||': { op: 'or', prec: 1 },
  '|': { op: 'or', prec: 1 },
  '&&': { op: 'and', prec: 2 },
  '&': { op: 'and', prec: 2 },
  '==': { op: '==', prec: 4 },
  '!=': { op: '!=', prec: 4 },
  '^': { op: '^', prec: 8, right: true },
  '**': { op: '^', prec: 8, right: true }
};
const R_NOT = 3;
const R_NEG = 7;

/** Operators of the source that the model language has no counterpart for, with why. */
const C_REFUSED: Record<string, string> = {
  '%': 'the remainder of a division',
  '^': 'bitwise xor in C++; use pow()',
  '&': 'bitwise and, or an address',
  '|': 'bitwise or',
  '<<': 'a bit shift',
  '>>': 'a bit shift',
  '[': 'array indexing',
  '.': 'member access',
  '->': 'a pointer',
  '::': 'a namespace',
  '++': 'an increment',
  '--': 'a decrement'
};
const R_REFUSED: Record<string, string> = {
  '%%': 'the remainder of a division',
  '%/%': 'integer division',
  '%in%': 'set membership',
  '[': 'indexing',
  $: 'list access',
  '@': 'slot access',
  '::': 'a namespace',
  ':': 'a sequence'
};
export const C_KEYWORDS = new Set([
  'for',
  'while',
  'do',
  'switch',
  'case',
  'return',
  'goto',
  'break',
  'continue',
  'new',
  'delete',
  'sizeof',
  'class',
  'struct',
  'template',
  'namespace',
  'using',
  'typedef',
  'static',
  'const',
  'void',
  'auto',
  'this',
  'self',
  'mrg',
  'std'
]);
export const R_KEYWORDS = new Set([
  'for',
  'while',
  'repeat',
  'function',
  'return',
  'next',
  'break',
  'Inf',
  'NA',
  'NaN',
  'NULL'
]);
/** mrgsolve's per-record variables: they depend on the data set, which a model text does not have. */
const C_RECORD_NAMES = new Set(['EVID', 'AMT', 'CMT', 'NEWIND', 'ID', 'TAD', 'RATE', 'SS', 'II', 'ADDL']);

const ARITY: Record<string, [number, number]> = {
  exp: [1, 1],
  log: [1, 1],
  log10: [1, 1],
  sqrt: [1, 1],
  abs: [1, 1],
  pow: [2, 2],
  min: [1, 16],
  max: [1, 16]
};
const C_ALIASES: Record<string, string> = { fabs: 'abs', fmin: 'min', fmax: 'max' };
const MAX_DEPTH = 200;
/** The model language refuses a taller expression tree (engine/expr), so the import does too. */
const MAX_OPERATORS = 500;

/** An expression; `nested` when it stands inside parentheses the caller opened (R newlines are then spaces). */
export function parseExpr(c: Cursor, nested = false): SourceExpr {
  const parser = new ExprParser(c);
  return nested ? parser.inner(() => parser.expression(0)) : parser.expression(0);
}

class ExprParser {
  private depth = 0;
  private operators = 0;

  constructor(private readonly c: Cursor) {}

  /** Newlines end an R expression unless it is inside parentheses or after an operator. */
  private parens = 0;

  private skip(): void {
    if (this.c.dialect === 'c' || this.parens > 0) this.c.skipNewlines();
  }

  expression(min: number): SourceExpr {
    if (++this.depth > MAX_DEPTH)
      throw new SourceError(`an expression nested more than ${MAX_DEPTH} levels`, this.c.peek().offset);
    let left = this.prefix();
    for (;;) {
      this.skip();
      const t = this.c.peek();
      if (t.type !== 'op') break;
      const c = this.c;
      if (c.dialect === 'c' && t.value === '?' && min <= C_TERNARY) {
        c.next();
        const a = this.inner(() => this.expression(0));
        c.skipNewlines();
        c.expect(':');
        const b = this.expression(C_TERNARY);
        left = { k: 'if', c: left, a, b, offset: t.offset };
        continue;
      }
      const infix = (c.dialect === 'c' ? C_INFIX : R_INFIX)[t.value];
      if (!infix) {
        const why = (c.dialect === 'c' ? C_REFUSED : R_REFUSED)[t.value];
        if (why) throw c.refuse(t.value, t.offset, why);
        break;
      }
      if (infix.prec < min || (infix.prec === min && !infix.right)) break;
      if (++this.operators > MAX_OPERATORS)
        throw new SourceError(`an expression with more than ${MAX_OPERATORS} operators`, t.offset);
      c.next();
      c.skipNewlines();
      const right = this.expression(infix.right ? infix.prec : infix.prec + 0.01);
      if (c.dialect === 'c' && infix.op === '/' && isIntegerLiteral(left) && isIntegerLiteral(right))
        throw new SourceError(
          `'${literalText(left)}/${literalText(right)}' is integer division in C++ (its value is ${Math.trunc(litValue(left) / litValue(right))}); write ${literalText(left)}.0/${literalText(right)} for a fraction`,
          t.offset
        );
      left = { k: 'bin', op: infix.op, a: left, b: right, offset: t.offset };
    }
    this.depth--;
    return left;
  }

  inner<T>(f: () => T): T {
    this.parens++;
    try {
      return f();
    } finally {
      this.parens--;
    }
  }

  private prefix(): SourceExpr {
    const c = this.c;
    this.skip();
    const t = c.next();
    if (t.type === 'number') return this.number(t);
    if (t.type === 'op') {
      switch (t.value) {
        case '(': {
          if (c.dialect === 'c' && c.isName() && ['double', 'int', 'float', 'bool'].includes(c.peek().value))
            throw c.refuse(`(${c.peek().value})`, t.offset, 'a cast');
          const e = this.inner(() => this.expression(0));
          c.skipNewlines();
          c.expect(')');
          return e;
        }
        case '-':
          return { k: 'neg', a: this.expression(c.dialect === 'c' ? C_UNARY : R_NEG), offset: t.offset };
        case '+':
          return this.expression(c.dialect === 'c' ? C_UNARY : R_NEG);
        case '!':
          return { k: 'not', a: this.expression(c.dialect === 'c' ? C_UNARY : R_NOT), offset: t.offset };
        case '*':
          throw c.refuse('*', t.offset, 'a pointer');
        case '&':
          throw c.refuse('&', t.offset, 'an address');
      }
      const why = (c.dialect === 'c' ? C_REFUSED : R_REFUSED)[t.value];
      if (why) throw c.refuse(t.value, t.offset, why);
      throw c.unexpected(t, 'an expression');
    }
    if (t.type !== 'name') throw c.unexpected(t, 'an expression');
    return c.isOp('(') ? this.call(t) : this.name(t);
  }

  private number(t: Token): SourceExpr {
    const m = /^([0-9.eE+-]+?)([A-Za-z]*)$/.exec(t.value)!;
    const [text, suffix] = [m[1], m[2]];
    if (suffix && !(this.c.dialect === 'r' && suffix === 'L'))
      throw this.c.refuse(t.value, t.offset, `a number with the suffix '${suffix}'`);
    const value = Number(text);
    if (!Number.isFinite(value)) throw new SourceError(`the number ${t.value} is out of range`, t.offset);
    return { k: 'num', value, offset: t.offset, text };
  }

  private name(t: Token): SourceExpr {
    const c = this.c;
    const n = t.value;
    if (c.dialect === 'c') {
      if (C_KEYWORDS.has(n)) throw c.refuse(n, t.offset);
      if (C_RECORD_NAMES.has(n)) throw c.refuse(n, t.offset, 'a data record variable');
      if (n === 'TIME' || n === 'SOLVERTIME') return { k: 'name', name: TIME, offset: t.offset };
      if (n === 'true' || n === 'false') return { k: 'num', value: n === 'true' ? 1 : 0, offset: t.offset };
      if (n === 'M_PI') return { k: 'num', value: Math.PI, offset: t.offset };
    } else {
      if (R_KEYWORDS.has(n)) throw c.refuse(n, t.offset);
      if (n === 't' || n === 'time') return { k: 'name', name: TIME, offset: t.offset };
      if (n === 'TRUE' || n === 'FALSE') return { k: 'num', value: n === 'TRUE' ? 1 : 0, offset: t.offset };
      if (n === 'pi') return { k: 'num', value: Math.PI, offset: t.offset };
    }
    return { k: 'name', name: n, offset: t.offset };
  }

  private call(t: Token): SourceExpr {
    const c = this.c;
    const open = c.expect('(');
    const args: SourceExpr[] = [];
    this.inner(() => {
      c.skipNewlines();
      if (!c.isOp(')')) {
        args.push(this.expression(0));
        c.skipNewlines();
        while (c.accept(',')) {
          args.push(this.expression(0));
          c.skipNewlines();
        }
      }
      c.expect(')');
    });
    const fn = c.dialect === 'c' ? (C_ALIASES[t.value] ?? t.value) : t.value;
    const offset = t.offset;
    // mrgsolve's random effects: ETA(n) and EPS(n), kept as names the translator maps.
    if (c.dialect === 'c' && (fn === 'ETA' || fn === 'EPS')) {
      const n = args[0];
      if (args.length !== 1 || n.k !== 'num' || !Number.isInteger(n.value) || n.value < 1)
        throw new SourceError(`${fn}() takes one whole number from 1, such as ${fn}(1)`, open.offset);
      return { k: 'name', name: `@${fn}${n.value}`, offset };
    }
    if (c.dialect === 'r') {
      if (fn === 'ifelse') return { k: 'if', c: arg(0, 3), a: args[1], b: args[2], offset };
      if (fn === 'expit') {
        const x = arg(0, 1);
        const one: SourceExpr = { k: 'num', value: 1, offset };
        const e: SourceExpr = { k: 'call', fn: 'exp', args: [{ k: 'neg', a: x, offset }], offset };
        return { k: 'bin', op: '/', a: one, b: { k: 'bin', op: '+', a: one, b: e, offset }, offset };
      }
      if (fn === 'logit') {
        const x = arg(0, 1);
        const one: SourceExpr = { k: 'num', value: 1, offset };
        const odds: SourceExpr = {
          k: 'bin',
          op: '/',
          a: x,
          b: { k: 'bin', op: '-', a: one, b: x, offset },
          offset
        };
        return { k: 'call', fn: 'log', args: [odds], offset };
      }
    }
    const arity = ARITY[fn];
    if (!arity)
      throw c.refuse(
        `${t.value}()`,
        offset,
        fn === 'linCmt'
          ? 'write the compartments as d/dt() equations'
          : `the functions are ${Object.keys(ARITY).join(', ')}${c.dialect === 'r' ? ', ifelse, expit, logit' : ', fabs, fmin, fmax'}`
      );
    arg(0, arity[0], arity[1]);
    return { k: 'call', fn, args, offset };

    function arg(i: number, n: number, most = n): SourceExpr {
      if (args.length < n || args.length > most)
        throw new SourceError(
          `${t.value}() takes ${n === most ? n : `${n} to ${most}`} argument${most > 1 ? 's' : ''}, got ${args.length}`,
          offset
        );
      return args[i];
    }
  }
}

/** A whole-number literal such as `1` or `-1` (an int in C++, so `1/2` is 0). */
function isIntegerLiteral(e: SourceExpr): boolean {
  return /^-?\d+$/.test(literalText(e));
}

function literalText(e: SourceExpr): string {
  if (e.k === 'neg') return `-${literalText(e.a)}`;
  return e.k === 'num' ? (e.text ?? String(e.value)) : '';
}

function litValue(e: SourceExpr): number {
  return Number(literalText(e));
}
