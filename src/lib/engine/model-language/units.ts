/**
 * Units as dimensions: a product of base symbols with integer exponents. `[mg/L]`,
 * `[1/(nM*h)]`, `[L/h]`, `[1]`. Molar units stand for their definition (nM = nmol/L);
 * other symbols are compared as written (mg and g are different
 * symbols, so `mg/L` and `ug/mL` differ even though their numbers agree): the checker
 * only reports a clash when both sides' units are known, so an unknown unit never
 * produces a false alarm, and a symbol it does not convert is a clash it names.
 */

/** Symbol → exponent, without zero exponents. */
export type Dimension = ReadonlyMap<string, number>;

export const DIMENSIONLESS: Dimension = new Map();
export const HOUR: Dimension = new Map([['h', 1]]);

export class UnitSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number
  ) {
    super(message);
    this.name = 'UnitSyntaxError';
  }
}

/** Molar concentrations are amounts per litre with no change of scale: nM = nmol/L. */
const MOLAR = new Map<string, Dimension>(
  ['', 'm', 'u', 'µ', 'n', 'p'].map((prefix) => [
    `${prefix}M`,
    new Map([
      [`${prefix}mol`, 1],
      ['L', -1]
    ])
  ])
);

const SYMBOL = /[A-Za-zµ%][A-Za-z0-9µ%]*/y;
const INTEGER = /-?\d+/y;
const MAX_UNIT_DEPTH = 20;

export function parseUnit(text: string): Dimension {
  let i = 0;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  function product(depth: number): Dimension {
    if (depth > MAX_UNIT_DEPTH) throw new UnitSyntaxError(`unit nested too deeply`, i);
    let d = factor(depth);
    for (;;) {
      skip();
      const op = text[i];
      if (op !== '*' && op !== '/' && op !== '·') return d;
      i++;
      const f = factor(depth);
      d = multiply(d, op === '/' ? power(f, -1) : f);
    }
  }
  function factor(depth: number): Dimension {
    skip();
    let d: Dimension;
    if (text[i] === '(') {
      i++;
      d = product(depth + 1);
      skip();
      if (text[i] !== ')') throw new UnitSyntaxError(`expected ')'`, i);
      i++;
    } else if (text[i] === '1') {
      i++;
      d = DIMENSIONLESS;
    } else {
      SYMBOL.lastIndex = i;
      const m = SYMBOL.exec(text);
      if (!m) throw new UnitSyntaxError(`expected a unit symbol, 1 or '('`, i);
      i += m[0].length;
      d = MOLAR.get(m[0]) ?? new Map([[m[0], 1]]);
    }
    skip();
    if (text[i] === '^') {
      i++;
      skip();
      INTEGER.lastIndex = i;
      const m = INTEGER.exec(text);
      if (!m) throw new UnitSyntaxError(`a unit's exponent is a whole number`, i);
      i += m[0].length;
      d = power(d, Number(m[0]));
    }
    return d;
  }
  const d = product(0);
  skip();
  if (i < text.length) throw new UnitSyntaxError(`unexpected '${text[i]}' in a unit`, i);
  return d;
}

export function multiply(a: Dimension, b: Dimension): Dimension {
  const out = new Map(a);
  for (const [s, e] of b) {
    const n = (out.get(s) ?? 0) + e;
    if (n === 0) out.delete(s);
    else out.set(s, n);
  }
  return out;
}

export function power(a: Dimension, n: number): Dimension {
  if (n === 0) return DIMENSIONLESS;
  return new Map([...a].map(([s, e]) => [s, e * n]));
}

export function sameDimension(a: Dimension, b: Dimension): boolean {
  if (a.size !== b.size) return false;
  for (const [s, e] of a) if (b.get(s) !== e) return false;
  return true;
}

/** `mg/L`, `1/h`, `1`: symbols with positive exponents over those with negative ones. */
export function formatDimension(d: Dimension): string {
  const sorted = [...d].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const part = (list: [string, number][]) =>
    list.map(([s, e]) => (Math.abs(e) === 1 ? s : `${s}^${Math.abs(e)}`)).join('*');
  const up = sorted.filter(([, e]) => e > 0);
  const down = sorted.filter(([, e]) => e < 0);
  const top = up.length ? part(up) : '1';
  if (!down.length) return top;
  return `${top}/${down.length > 1 ? `(${part(down)})` : part(down)}`;
}
