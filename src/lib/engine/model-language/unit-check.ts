/**
 * Unit inference over an expression: a name has its declared (or inferred) unit, a
 * number and a covariate have none (a number takes whatever unit its context needs).
 * A clash is reported only when both sides are known: terms of a sum, sides of a
 * comparison, branches of if/min/max, the argument of exp, an exponent, and the
 * statement's declared unit against its expression's.
 */
import type { Expr } from '../expr';
import type { ModelSymbol } from './check-model';
import type { ModelExpr, UnitText } from './model-tree';
import type { SourceText } from './source-text';
import {
  DIMENSIONLESS,
  formatDimension,
  multiply,
  parseUnit,
  power,
  sameDimension,
  UnitSyntaxError,
  type Dimension
} from './units';
import { constantValue } from './parse-model';

export interface UnitScope {
  symbols: Map<string, ModelSymbol>;
  source: SourceText;
}

export function declaredUnit(u: UnitText | undefined, source: SourceText): Dimension | undefined {
  if (!u) return undefined;
  try {
    return parseUnit(u.text);
  } catch (e) {
    if (!(e instanceof UnitSyntaxError)) throw e;
    source.error(u.offset + e.pos, e.message);
    return undefined;
  }
}

export function checkUnits(
  e: ModelExpr,
  scope: UnitScope,
  expected: Dimension | undefined,
  what = 'the expression'
): Dimension | undefined {
  const clash = (x: Expr, message: string) => scope.source.error(e.offset + x.pos, message);
  const same = (x: Expr, a: Dimension | undefined, b: Dimension | undefined, where: string) => {
    if (a && b && !sameDimension(a, b))
      clash(x, `unit clash: ${where} [${formatDimension(a)}] and [${formatDimension(b)}]`);
    return a ?? b;
  };
  const dimensionless = (x: Expr, a: Dimension | undefined, where: string) => {
    if (a && a.size > 0) clash(x, `${where} must be dimensionless, got [${formatDimension(a)}]`);
  };
  const raise = (x: Expr, base: Dimension | undefined, exponent: Expr, expUnit: Dimension | undefined) => {
    dimensionless(exponent, expUnit, 'an exponent');
    if (!base) return undefined;
    if (base.size === 0) return DIMENSIONLESS;
    const n = constantValue(exponent);
    return n !== undefined && Number.isInteger(n) ? power(base, n) : undefined;
  };

  function unit(x: Expr): Dimension | undefined {
    switch (x.kind) {
      case 'number':
      case 'string':
        return undefined;
      case 'name':
        return scope.symbols.get(x.name)?.unit;
      case 'unary': {
        const a = unit(x.arg);
        return x.op === '-' ? a : DIMENSIONLESS;
      }
      case 'binary': {
        const a = unit(x.left);
        const b = unit(x.right);
        switch (x.op) {
          case '+':
          case '-':
            return same(x, a, b, `'${x.op}' of`);
          case '*':
            return a && b ? multiply(a, b) : undefined;
          case '/':
            return a && b ? multiply(a, power(b, -1)) : undefined;
          case '^':
            return raise(x, a, x.right, b);
          case 'and':
          case 'or':
            return DIMENSIONLESS;
          default:
            same(x, a, b, `comparison of`);
            return DIMENSIONLESS;
        }
      }
      case 'call': {
        const args = x.args.map(unit);
        switch (x.fn) {
          case 'exp':
            dimensionless(x, args[0], 'the argument of exp()');
            return DIMENSIONLESS;
          case 'log':
          case 'log10':
            return DIMENSIONLESS;
          case 'sqrt': {
            const a = args[0];
            if (!a || [...a.values()].some((p) => p % 2 !== 0)) return undefined;
            return power(a, 0.5);
          }
          case 'abs':
            return args[0];
          case 'pow':
            return raise(x, args[0], x.args[1], args[1]);
          case 'if':
            return same(x, args[1], args[2], 'the branches of if() have');
          default: {
            // min, max: every argument in one unit
            let u: Dimension | undefined;
            for (const a of args) u = same(x, u, a, `the arguments of ${x.fn}() have`);
            return u;
          }
        }
      }
    }
  }

  const found = unit(e.tree);
  if (found && expected && !sameDimension(found, expected))
    scope.source.error(
      e.offset,
      `unit clash: ${what} is declared [${formatDimension(expected)}] but its expression is [${formatDimension(found)}]`
    );
  return found ?? expected;
}
