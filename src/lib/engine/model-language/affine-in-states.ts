/**
 * Whether a PD block's right-hand side is affine in its states with constant coefficients,
 * dy/dt = A·y + b(t, C), A depending only on the twin's parameters: then the states between
 * two doses follow exactly from e^{A·h} and an integral of the forcing b (the hybrid
 * simulator's exponential path, engine/models/drivenLinearIntegrator.ts). Turnover,
 * indirect-response, effect-compartment and transit-chain models are of this kind.
 *
 * Each expression is classed, from the bottom up: it uses only parameters (constant for a
 * twin), also time or the concentration (driven), is affine in the states with constant
 * coefficients, or anything else. A product is affine only when one factor is constant;
 * a state under any function, power, comparison or as a divisor is not affine.
 */
import type { Node } from './lowered-expr';

const CONSTANT = 0;
const DRIVEN = 1;
const AFFINE = 2;
const OTHER = 3;
type Kind = typeof CONSTANT | typeof DRIVEN | typeof AFFINE | typeof OTHER;

/** True when every derivative is affine in the states (an intermediate is read as its expression). */
export function affineInStates(derivatives: Node[], intermediate: (index: number) => Node): boolean {
  const memo = new Map<number, Kind>();
  const kind = (n: Node): Kind => {
    switch (n.k) {
      case 'num':
        return CONSTANT;
      case 'ref':
        if (n.state !== undefined) return AFFINE;
        if (n.intermediate !== undefined) {
          let k = memo.get(n.intermediate);
          if (k === undefined) memo.set(n.intermediate, (k = kind(intermediate(n.intermediate))));
          return k;
        }
        return n.code === 't' || n.code === 'c' ? DRIVEN : CONSTANT;
      case 'neg':
        return kind(n.a);
      case 'bin': {
        const a = kind(n.a);
        const b = kind(n.b);
        if (a === OTHER || b === OTHER) return OTHER;
        switch (n.op) {
          case '+':
          case '-':
            return Math.max(a, b) as Kind;
          case '*':
            if (a === AFFINE) return b === CONSTANT ? AFFINE : OTHER;
            if (b === AFFINE) return a === CONSTANT ? AFFINE : OTHER;
            return Math.max(a, b) as Kind;
          case '/':
            if (b === AFFINE) return OTHER;
            if (a === AFFINE) return b === CONSTANT ? AFFINE : OTHER;
            return Math.max(a, b) as Kind;
          default:
            return a === AFFINE || b === AFFINE ? OTHER : (Math.max(a, b) as Kind);
        }
      }
      case 'not':
      case 'call': {
        const args = n.k === 'not' ? [n.a] : n.args;
        let k: Kind = CONSTANT;
        for (const arg of args) {
          const ka = kind(arg);
          if (ka >= AFFINE) return OTHER;
          if (ka > k) k = ka;
        }
        return k;
      }
    }
  };
  return derivatives.every((d) => kind(d) <= AFFINE);
}
