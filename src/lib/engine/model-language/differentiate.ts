/**
 * Symbolic ∂/∂y_j of a lowered expression, for the stiff solver's Jacobian. An
 * intermediate quantity m_k is not expanded: its derivative is a variable the compiler
 * computes once (`dk_j`), so the Jacobian's size grows with the model's, not with the
 * depth of its intermediates. Comparisons and logic are piecewise constant (derivative
 * 0); abs, min, max and if take the derivative of the branch they select.
 */
import { add, call, div, isZero, mul, neg, num, sub, ZERO, ONE, type Node } from './lowered-expr';

export type IntermediateDerivative = (intermediate: number) => Node;

export function differentiate(n: Node, j: number, dm: IntermediateDerivative): Node {
  const d = (x: Node) => differentiate(x, j, dm);
  switch (n.k) {
    case 'num':
      return ZERO;
    case 'ref':
      if (n.state === j) return ONE;
      if (n.intermediate !== undefined) return dm(n.intermediate);
      return ZERO;
    case 'neg':
      return neg(d(n.a));
    case 'not':
      return ZERO;
    case 'bin': {
      const { a, b } = n;
      switch (n.op) {
        case '+':
          return add(d(a), d(b));
        case '-':
          return sub(d(a), d(b));
        case '*':
          return add(mul(d(a), b), mul(a, d(b)));
        case '/':
          return sub(div(d(a), b), div(mul(a, d(b)), mul(b, b)));
        case '^':
          return powerDerivative(a, b, d(a), d(b));
        default:
          return ZERO;
      }
    }
    case 'call': {
      const [a, b, c] = n.args;
      switch (n.fn) {
        case 'exp':
          return mul(n, d(a));
        case 'log':
          return div(d(a), a);
        case 'log10':
          return div(d(a), mul(a, num(Math.LN10)));
        case 'sqrt':
          return div(d(a), mul(num(2), n));
        case 'abs': {
          const da = d(a);
          return isZero(da) ? ZERO : call('if', { k: 'bin', op: '<', a, b: ZERO }, neg(da), da);
        }
        case 'pow':
          return powerDerivative(a, b, d(a), d(b));
        case 'if':
          return choose(a, d(b), d(c));
        default:
          return extremumDerivative(n.fn === 'min' ? '<=' : '>=', n.args, d);
      }
    }
  }
}

/** d(a^b) = b·a^(b−1)·a' when b does not depend on y, else a^b·(b'·ln a + b·a'/a). */
function powerDerivative(a: Node, b: Node, da: Node, db: Node): Node {
  if (isZero(db)) {
    if (isZero(da)) return ZERO;
    return mul(mul(b, call('pow', a, sub(b, ONE))), da);
  }
  return mul(call('pow', a, b), add(mul(db, call('log', a)), div(mul(b, da), a)));
}

function choose(condition: Node, whenTrue: Node, whenFalse: Node): Node {
  if (isZero(whenTrue) && isZero(whenFalse)) return ZERO;
  return call('if', condition, whenTrue, whenFalse);
}

/** min(a, b, c) = min(min(a, b), c): the derivative of the argument that wins. */
function extremumDerivative(op: '<=' | '>=', args: Node[], d: (x: Node) => Node): Node {
  let value = args[0];
  let derivative = d(args[0]);
  for (let i = 1; i < args.length; i++) {
    const next = args[i];
    derivative = choose({ k: 'bin', op, a: value, b: next }, derivative, d(next));
    value = call(op === '<=' ? 'min' : 'max', value, next);
  }
  return derivative;
}
