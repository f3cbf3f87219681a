/**
 * Prints a lowered expression as JavaScript. Everything printed comes from the checked
 * tree: numbers (finite, printed by String), slot references the compiler built from
 * indices, the operators below and the fixed function names of FUNCTION_PRELUDE. No
 * name, text or character of the user's source is ever copied into the output.
 */
import type { Node } from './lowered-expr';

/** Local bindings of the whitelisted Math functions, declared once per compiled model. */
export const FUNCTION_PRELUDE =
  'const exp = Math.exp, log = Math.log, log10 = Math.log10, sqrt = Math.sqrt, abs = Math.abs, ' +
  'pow = Math.pow, min = Math.min, max = Math.max;';
const CALLS = new Map([
  ['exp', 'exp'],
  ['log', 'log'],
  ['log10', 'log10'],
  ['sqrt', 'sqrt'],
  ['abs', 'abs'],
  ['pow', 'pow'],
  ['min', 'min'],
  ['max', 'max']
]);
const ARITHMETIC = new Map([
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/']
]);
const COMPARISON = new Map([
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
  ['==', '==='],
  ['!=', '!==']
]);

export function emit(n: Node): string {
  switch (n.k) {
    case 'num':
      if (!Number.isFinite(n.v)) throw new Error(`cannot print the number ${n.v}`);
      return n.v < 0 || Object.is(n.v, -0) ? `(${String(n.v)})` : String(n.v);
    case 'ref':
      return n.code;
    case 'neg':
      return `(-${emit(n.a)})`;
    case 'not':
      return `(${emit(n.a)} ? 0 : 1)`;
    case 'bin': {
      const a = emit(n.a);
      const b = emit(n.b);
      const arithmetic = ARITHMETIC.get(n.op);
      if (arithmetic) return `(${a} ${arithmetic} ${b})`;
      if (n.op === '^') return `pow(${a}, ${b})`;
      const comparison = COMPARISON.get(n.op);
      if (comparison) return `(${a} ${comparison} ${b} ? 1 : 0)`;
      return `(${a} ${n.op === 'and' ? '&&' : '||'} ${b} ? 1 : 0)`;
    }
    case 'call': {
      if (n.fn === 'if') return `(${emit(n.args[0])} ? ${emit(n.args[1])} : ${emit(n.args[2])})`;
      const fn = CALLS.get(n.fn);
      if (!fn) throw new Error(`no function '${n.fn}' in the compiler's whitelist`);
      return `${fn}(${n.args.map(emit).join(', ')})`;
    }
  }
}
