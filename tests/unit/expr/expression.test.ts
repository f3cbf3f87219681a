import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compileExpression,
  ExpressionError,
  parseExpression,
  referencedNames,
  type CompileContext,
  type Expr
} from '../../../src/lib/engine/expr';

/**
 * The expression language of criteria and derived covariates. Expected values are
 * worked by hand from the usual mathematical conventions (and match what R prints for
 * the same arithmetic: `-2^2` is -4 and `2^3^2` is 512 in R as well).
 */

const VARS: Record<string, { slot: number; levels?: string[] }> = {
  x: { slot: 0 },
  y: { slot: 1 },
  age: { slot: 2 },
  sex: { slot: 3, levels: ['F', 'M'] },
  stage: { slot: 4, levels: ['G2', 'G3a', 'G3b'] }
};

function ctx(source: string): CompileContext {
  return {
    source,
    lookup: (n) => (Object.hasOwn(VARS, n) ? VARS[n] : undefined),
    knownNames: () => Object.keys(VARS)
  };
}

function evaluate(source: string, values: Partial<Record<keyof typeof VARS, number>> = {}): number {
  const v = new Float64Array(5);
  for (const [name, value] of Object.entries(values)) v[VARS[name].slot] = value!;
  return compileExpression(parseExpression(source), ctx(source))(v);
}

function errorOf(source: string): ExpressionError {
  try {
    compileExpression(parseExpression(source), ctx(source));
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`expected an ExpressionError for ${source}`);
}

/** Fully parenthesised form of a tree, to check its shape. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return `'${e.value}'`;
    case 'name':
      return e.name;
    case 'unary':
      return `(${e.op === 'not' ? 'not ' : '-'}${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.fn}(${e.args.map(show).join(', ')})`;
  }
}
const shape = (s: string) => show(parseExpression(s));

describe('expression parser: precedence and associativity', () => {
  it('binds * and / tighter than + and -', () => {
    expect(shape('1 + 2 * 3')).toBe('(1 + (2 * 3))');
    expect(evaluate('1 + 2 * 3')).toBe(7);
    expect(evaluate('(1 + 2) * 3')).toBe(9);
    expect(evaluate('10 - 6 / 3')).toBe(8);
  });

  it('is left-associative for - and /', () => {
    expect(shape('10 - 4 - 3')).toBe('((10 - 4) - 3)');
    expect(evaluate('10 - 4 - 3')).toBe(3);
    expect(evaluate('64 / 4 / 2')).toBe(8);
  });

  it('is right-associative for ^, which binds tighter than unary minus', () => {
    expect(shape('2 ^ 3 ^ 2')).toBe('(2 ^ (3 ^ 2))');
    expect(evaluate('2 ^ 3 ^ 2')).toBe(512);
    // -2^2 = -(2^2) as in mathematics, R and Python
    expect(shape('-2 ^ 2')).toBe('(-(2 ^ 2))');
    expect(evaluate('-2 ^ 2')).toBe(-4);
    expect(evaluate('(-2) ^ 2')).toBe(4);
    expect(evaluate('2 ^ -1')).toBe(0.5);
  });

  it('handles unary minus in products and repeated', () => {
    expect(evaluate('3 * -2')).toBe(-6);
    expect(evaluate('- - 4')).toBe(4);
    expect(evaluate('-x + y', { x: 2, y: 5 })).toBe(3);
    expect(evaluate('+x', { x: 2 })).toBe(2);
  });

  it('puts comparisons below arithmetic, then not, and, or', () => {
    expect(shape('x + 1 > y * 2')).toBe('((x + 1) > (y * 2))');
    expect(shape('not x > 1 and y < 2')).toBe('((not (x > 1)) and (y < 2))');
    expect(shape('x > 1 or y > 1 and age > 1')).toBe('((x > 1) or ((y > 1) and (age > 1)))');
    expect(shape('not not x')).toBe('(not (not x))');
  });

  it('evaluates logic to 1 and 0, with && || ! as synonyms', () => {
    expect(evaluate('x > 1 and y > 1', { x: 2, y: 2 })).toBe(1);
    expect(evaluate('x > 1 and y > 1', { x: 2, y: 0 })).toBe(0);
    expect(evaluate('x > 1 or y > 1', { x: 0, y: 2 })).toBe(1);
    expect(evaluate('not x > 1', { x: 0 })).toBe(1);
    expect(evaluate('x > 1 && y > 1 || age == 3', { x: 0, y: 0, age: 3 })).toBe(1);
    expect(evaluate('!(x > 1)', { x: 5 })).toBe(0);
    expect(evaluate('true and not false')).toBe(1);
    // or is below and: true or (false and false) = 1, not (true or false) and false = 0
    expect(evaluate('1 or 0 and 0')).toBe(1);
  });

  it('evaluates every comparison operator', () => {
    const at = (s: string) => evaluate(s, { x: 3 });
    expect([at('x < 3'), at('x <= 3'), at('x > 3'), at('x >= 3'), at('x == 3'), at('x != 3')]).toEqual([
      0, 1, 0, 1, 1, 0
    ]);
  });

  it('reads numbers in decimal and exponent notation', () => {
    expect(evaluate('1.5e2 + .5 + 2.')).toBe(152.5);
    expect(evaluate('1E-3 * 1000')).toBe(1);
  });
});

describe('expression functions', () => {
  it('calls the built-in functions', () => {
    expect(evaluate('sqrt(16) + abs(-2)')).toBe(6);
    expect(evaluate('max(1, x, 3)', { x: 7 })).toBe(7);
    expect(evaluate('min(4, 2, 9, 3)')).toBe(2);
    expect(evaluate('pow(2, 10)')).toBe(1024);
    expect(evaluate('log(exp(2))')).toBeCloseTo(2, 15);
    expect(evaluate('log10(1000)')).toBe(3);
    expect(evaluate('floor(2.7) + ceil(2.1) + round(2.5)')).toBe(8);
    expect(evaluate('max(x - 1, 0) * 2', { x: 0.5 })).toBe(0);
  });

  it('refuses an unknown function, listing the allowed ones', () => {
    const e = errorOf('gamma(3)');
    expect(e.message).toMatch(/unknown function 'gamma'/);
    expect(e.message).toMatch(/allowed: .*sqrt.*max/);
    expect(e.pos).toBe(0);
  });

  it('refuses names of Object.prototype members as functions (toString, constructor, …)', () => {
    // FUNCTIONS is a plain object: FUNCTIONS['toString'] is Object.prototype.toString,
    // which has no arity, so compileExpression crashed with a TypeError.
    for (const fn of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']) {
      const e = errorOf(`${fn}(1)`);
      expect(e.message, fn).toMatch(new RegExp(`unknown function '${fn}'`));
    }
  });

  it('checks the number of arguments', () => {
    expect(errorOf('sqrt(1, 2)').message).toMatch(/sqrt\(\) takes 1 argument\(s\), got 2/);
    expect(errorOf('pow(2)').message).toMatch(/pow\(\) takes 2 argument\(s\), got 1/);
  });

  it('lists referenced names once, in order', () => {
    expect(referencedNames(parseExpression('max(y, x) + y * age'))).toEqual(['y', 'x', 'age']);
  });
});

describe('categorical comparisons', () => {
  it('compares a categorical variable with a level name (either side, == and !=)', () => {
    expect(evaluate("sex == 'M'", { sex: 1 })).toBe(1);
    expect(evaluate("sex == 'M'", { sex: 0 })).toBe(0);
    expect(evaluate("'F' == sex", { sex: 0 })).toBe(1);
    expect(evaluate('sex != "F"', { sex: 1 })).toBe(1);
    expect(evaluate("stage == 'G3b' and sex == 'F'", { stage: 2, sex: 0 })).toBe(1);
    // a comparison is 1 or 0, so it can weight arithmetic
    expect(evaluate("0.7 * (sex == 'F') + 0.9 * (sex == 'M')", { sex: 1 })).toBe(0.9);
  });

  it('refuses an unknown level, listing the levels', () => {
    const e = errorOf("sex == 'X'");
    expect(e.message).toMatch(/'X' is not a level of sex \(levels: F, M\)/);
    expect(e.pos).toBe(7);
    expect(e.message).toMatch(/column 8/);
  });

  it('refuses a string compared with a continuous variable or used in arithmetic', () => {
    expect(errorOf("x == 'F'").message).toMatch(/must be compared with a categorical variable/);
    expect(errorOf("x + 'F'").message).toMatch(/can only be compared with a categorical variable/);
    expect(errorOf("sex < 'M'").message).toMatch(/can only be compared with a categorical variable/);
  });
});

describe('expression errors', () => {
  it('names an unknown variable and lists the known names', () => {
    const e = errorOf('x + weight > 3');
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.message).toMatch(/unknown variable 'weight' \(known: x, y, age, sex, stage\)/);
    expect(e.pos).toBe(4);
    expect(e.message).toMatch(/at column 5 of "x \+ weight > 3"/);
  });

  it('reports syntax errors with their column', () => {
    const cases: [string, RegExp, number][] = [
      ['x >= (1 +', /unexpected end of expression/, 9],
      ['1 2', /unexpected '2'/, 2],
      ['1 +* 2', /unexpected '\*'/, 3],
      ['(x + 1', /expected '\)' but found end of expression/, 6],
      ['f(1,', /unexpected end of expression/, 4],
      ["sex == 'M", /unterminated string/, 7],
      ['x # 2', /unexpected character '#'/, 2],
      ['and x', /unexpected 'and'/, 0],
      ['', /unexpected end of expression/, 0],
      ['.', /malformed number/, 0]
    ];
    for (const [source, message, pos] of cases) {
      const e = errorOf(source);
      expect(e.message, source).toMatch(message);
      expect(e.pos, source).toBe(pos);
      expect(e.message, source).toContain(`column ${pos + 1}`);
    }
  });

  it('refuses chained comparisons', () => {
    const e = errorOf('18 <= age < 65');
    expect(e.message).toMatch(/chained comparison; write 'a < b and b < c'/);
    expect(e.pos).toBe(10);
    expect(evaluate('18 <= age and age < 65', { age: 30 })).toBe(1);
  });

  it("refuses '=' and points to '=='", () => {
    const e = errorOf('age = 18');
    expect(e.message).toMatch(/'=' is not a comparison; use '=='/);
    expect(e.pos).toBe(4);
  });

  it('refuses deep nesting with an ExpressionError, not a stack overflow', () => {
    // A user-supplied file must not be able to crash the parser with a RangeError.
    for (const source of [
      '('.repeat(20_000) + '1' + ')'.repeat(20_000),
      '-'.repeat(20_000) + '1',
      'not '.repeat(20_000) + '1',
      '1' + '^1'.repeat(20_000)
    ]) {
      let thrown: unknown;
      try {
        compileExpression(parseExpression(source), ctx(source));
      } catch (e) {
        thrown = e;
      }
      expect(thrown, source.slice(0, 12)).toBeInstanceOf(ExpressionError);
    }
  });
  it('handles a long flat chain (1+1+…, a and a and …) without a stack overflow', () => {
    // The parser loops over a flat chain, but the tree it builds is as deep as the chain
    // is long, and compileExpression / the evaluator recurse over it: either compute it
    // or refuse it with an ExpressionError, never a RangeError.
    for (const [source, value] of [
      ['1' + '+1'.repeat(20_000), 20_001],
      ['x > 0' + ' and x > 0'.repeat(20_000), 1]
    ] as const) {
      let thrown: unknown;
      let got: number | undefined;
      try {
        got = compileExpression(parseExpression(source), ctx(source))(new Float64Array([1, 0, 0, 0, 0]));
      } catch (e) {
        thrown = e;
      }
      if (thrown === undefined) expect(got).toBe(value);
      else expect(thrown, source.slice(0, 12)).toBeInstanceOf(ExpressionError);
    }
  });
});

describe('expression fuzzing', () => {
  const pieces = [
    'x',
    'y',
    'age',
    'sex',
    'stage',
    'sqrt',
    'max',
    'foo',
    'and',
    'or',
    'not',
    'true',
    '1',
    '2.5',
    '1e3',
    '.',
    '0',
    "'F'",
    "'G3a'",
    "'",
    '"',
    '(',
    ')',
    ',',
    '+',
    '-',
    '*',
    '/',
    '^',
    '<',
    '<=',
    '>',
    '>=',
    '==',
    '!=',
    '=',
    '!',
    '&&',
    '||',
    ' ',
    '#',
    'é'
  ];
  const tokenSoup = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join(''));

  const check = (source: string) => {
    const started = Date.now();
    try {
      const f = compileExpression(parseExpression(source), ctx(source));
      const out = f(new Float64Array([1.5, -2, 40, 1, 2]));
      if (typeof out !== 'number') throw new Error(`non-number result for ${source}`);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      expect(e.pos).toBeGreaterThanOrEqual(0);
      expect(e.pos).toBeLessThanOrEqual(source.length);
    }
    // A bound on hanging (runaway recursion or backtracking), generous for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
  };

  it('throws nothing but ExpressionError on random token soup, and returns quickly', () => {
    fc.assert(fc.property(tokenSoup, check), { numRuns: 3000, seed: 20260101 });
  });

  it('throws nothing but ExpressionError on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60, unit: 'binary' }), check), {
      numRuns: 3000,
      seed: 7
    });
  });
});
