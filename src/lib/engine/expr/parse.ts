import { ExpressionError, type BinaryOp, type Expr } from './ast';
import { tokenize, type Token } from './tokenize';

/**
 * Pratt parser for the small expression language:
 *   or / ||   and / &&   not / !   == != < <= > >=   + -   * /   ^ (right-assoc)   unary -
 *   numbers, 'strings', names, calls f(a, b), parentheses.
 */
const BINARY: Record<string, { op: BinaryOp; prec: number; right?: boolean }> = {
  or: { op: 'or', prec: 1 },
  '||': { op: 'or', prec: 1 },
  and: { op: 'and', prec: 2 },
  '&&': { op: 'and', prec: 2 },
  '==': { op: '==', prec: 4 },
  '!=': { op: '!=', prec: 4 },
  '<': { op: '<', prec: 4 },
  '<=': { op: '<=', prec: 4 },
  '>': { op: '>', prec: 4 },
  '>=': { op: '>=', prec: 4 },
  '+': { op: '+', prec: 5 },
  '-': { op: '-', prec: 5 },
  '*': { op: '*', prec: 6 },
  '/': { op: '/', prec: 6 },
  '^': { op: '^', prec: 8, right: true }
};
const NOT_PREC = 3;
const NEG_PREC = 7;
const KEYWORDS = new Set(['and', 'or', 'not']);
/** Deeper nesting than any criterion needs; refusing it keeps recursion off the stack limit. */
const MAX_DEPTH = 100;
const MAX_HEIGHT = 500;

export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let k = 0;
  const peek = (): Token => tokens[k];
  const next = (): Token => tokens[k++];

  function describe(t: Token): string {
    return t.type === 'end' ? 'end of expression' : `'${'value' in t ? t.value : ''}'`;
  }

  function expectOp(value: string): void {
    const t = next();
    if (t.type !== 'op' || t.value !== value) {
      throw new ExpressionError(`expected '${value}' but found ${describe(t)}`, source, t.pos);
    }
  }

  function binaryInfo(t: Token) {
    if (t.type === 'op' || (t.type === 'name' && (t.value === 'and' || t.value === 'or'))) {
      return BINARY[t.value as string];
    }
    return undefined;
  }

  function prefix(): Expr {
    const t = next();
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.value, pos: t.pos };
      case 'string':
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'name': {
        if (t.value === 'not') return { kind: 'unary', op: 'not', arg: expression(NOT_PREC), pos: t.pos };
        if (KEYWORDS.has(t.value)) throw new ExpressionError(`unexpected '${t.value}'`, source, t.pos);
        if (t.value === 'true' || t.value === 'false') {
          return { kind: 'number', value: t.value === 'true' ? 1 : 0, pos: t.pos };
        }
        const after = peek();
        if (after.type === 'op' && after.value === '(') {
          next();
          const args: Expr[] = [];
          if (!(peek().type === 'op' && (peek() as { value: string }).value === ')')) {
            args.push(expression(0));
            while (peek().type === 'op' && (peek() as { value: string }).value === ',') {
              next();
              args.push(expression(0));
            }
          }
          expectOp(')');
          return { kind: 'call', fn: t.value, args, pos: t.pos };
        }
        return { kind: 'name', name: t.value, pos: t.pos };
      }
      case 'op':
        if (t.value === '(') {
          const inner = expression(0);
          expectOp(')');
          return inner;
        }
        if (t.value === '-') return { kind: 'unary', op: '-', arg: expression(NEG_PREC), pos: t.pos };
        if (t.value === '+') return expression(NEG_PREC);
        if (t.value === '!') return { kind: 'unary', op: 'not', arg: expression(NOT_PREC), pos: t.pos };
        throw new ExpressionError(`unexpected '${t.value}'`, source, t.pos);
      case 'end':
        throw new ExpressionError(`unexpected end of expression`, source, t.pos);
    }
  }

  let depth = 0;
  const height = new WeakMap<Expr, number>();
  function expression(minPrec: number): Expr {
    if (++depth > MAX_DEPTH) {
      throw new ExpressionError(`nested more than ${MAX_DEPTH} levels deep`, source, peek().pos);
    }
    const left = operand(minPrec);
    depth--;
    return left;
  }

  function operand(minPrec: number): Expr {
    let left = prefix();
    for (;;) {
      const t = peek();
      const info = binaryInfo(t);
      if (!info || info.prec < minPrec) break;
      next();
      const right = expression(info.right ? info.prec : info.prec + 1);
      // Chained comparisons such as `18 <= age < 65` read naturally but mean something
      // else in most languages; refuse them rather than guess.
      if (info.prec === 4 && left.kind === 'binary' && BINARY[left.op]?.prec === 4) {
        throw new ExpressionError(`chained comparison; write 'a < b and b < c'`, source, t.pos);
      }
      left = { kind: 'binary', op: info.op, left, right, pos: t.pos };
      // A long flat chain (1+1+…) nests as deeply as it is long: bound the tree's height
      // too, since compiling and evaluating recurse over it.
      const h = 1 + Math.max(height.get(left.left) ?? 0, height.get(right) ?? 0);
      if (h > MAX_HEIGHT)
        throw new ExpressionError(`more than ${MAX_HEIGHT} operators in a row`, source, t.pos);
      height.set(left, h);
    }
    return left;
  }

  const result = expression(0);
  const rest = peek();
  if (rest.type !== 'end') {
    throw new ExpressionError(`unexpected ${describe(rest)}`, source, rest.pos);
  }
  return result;
}
