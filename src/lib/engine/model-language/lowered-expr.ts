/**
 * Expressions with names resolved to slots: the form the compiler differentiates and
 * prints. A reference carries the JavaScript text of its slot, built by the compiler
 * from indices only (`p[3]`, `y[1]`, `q[0]`, `m2`, `t`, `c`), never from a user's name.
 * The constructors fold constants and drop zeros and ones, so derivatives stay small.
 */
import type { BinaryOp, Expr } from '../expr';

export type Node =
  | { k: 'num'; v: number }
  | { k: 'ref'; code: string; state?: number; intermediate?: number }
  | { k: 'neg'; a: Node }
  | { k: 'not'; a: Node }
  | { k: 'bin'; op: BinaryOp; a: Node; b: Node }
  | { k: 'call'; fn: string; args: Node[] };

export const ZERO: Node = { k: 'num', v: 0 };
export const ONE: Node = { k: 'num', v: 1 };
export const num = (v: number): Node => ({ k: 'num', v });
export const isZero = (n: Node) => n.k === 'num' && n.v === 0;
const isOne = (n: Node) => n.k === 'num' && n.v === 1;

export function neg(a: Node): Node {
  if (a.k === 'num') return num(-a.v);
  if (a.k === 'neg') return a.a;
  return { k: 'neg', a };
}

export function add(a: Node, b: Node): Node {
  if (isZero(a)) return b;
  if (isZero(b)) return a;
  if (a.k === 'num' && b.k === 'num') return num(a.v + b.v);
  return { k: 'bin', op: '+', a, b };
}

export function sub(a: Node, b: Node): Node {
  if (isZero(b)) return a;
  if (isZero(a)) return neg(b);
  if (a.k === 'num' && b.k === 'num') return num(a.v - b.v);
  return { k: 'bin', op: '-', a, b };
}

export function mul(a: Node, b: Node): Node {
  if (isZero(a) || isZero(b)) return ZERO;
  if (isOne(a)) return b;
  if (isOne(b)) return a;
  if (a.k === 'num' && b.k === 'num') return num(a.v * b.v);
  return { k: 'bin', op: '*', a, b };
}

export function div(a: Node, b: Node): Node {
  if (isZero(a)) return ZERO;
  if (isOne(b)) return a;
  return { k: 'bin', op: '/', a, b };
}

export function call(fn: string, ...args: Node[]): Node {
  return { k: 'call', fn, args };
}

export function bin(op: BinaryOp, a: Node, b: Node): Node {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    default:
      return { k: 'bin', op, a, b };
  }
}

/** Resolves a checked expression's names through `resolve` (which knows every name). */
export function lower(e: Expr, resolve: (name: string) => Node): Node {
  switch (e.kind) {
    case 'number':
      return num(e.value);
    case 'name':
      return resolve(e.name);
    case 'unary':
      return e.op === '-' ? neg(lower(e.arg, resolve)) : { k: 'not', a: lower(e.arg, resolve) };
    case 'binary':
      return bin(e.op, lower(e.left, resolve), lower(e.right, resolve));
    case 'call':
      return call(e.fn, ...e.args.map((a) => lower(a, resolve)));
    case 'string':
      throw new Error('a checked model has no text in expressions');
  }
}
