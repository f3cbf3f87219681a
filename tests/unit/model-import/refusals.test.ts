/**
 * What the import refuses, each with the file, line and column of the construct and its
 * name: C++ and R beyond the common arithmetic subset, and patterns it cannot translate
 * exactly. A refusal is a `ModelLanguageError` (exit 2 in the CLI), never a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { ModelLanguageError } from '../../../src/lib/engine/model-language';
import { importModelText, type Tool } from '../../../src/lib/engine/model-language/import';

function refusal(text: string, tool: Tool, file = tool === 'mrgsolve' ? 'x.cpp' : 'x.R'): string {
  try {
    importModelText(text, file, tool);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelLanguageError);
    return (e as Error).message;
  }
  throw new Error('the text was imported');
}

const mrg = (ode: string) => `$PARAM K = 1\n$CMT A\n$ODE\n${ode}\n`;

describe('mrgsolve refusals', () => {
  it('a for loop', () => {
    expect(
      refusal(mrg('double s = 0;\nfor (int i = 0; i < 3; i++) s += i;\ndxdt_A = -K * A;'), 'mrgsolve')
    ).toBe("x.cpp:5:1: mrgsolve construct 'for' is not supported");
  });

  it('a pointer', () => {
    expect(refusal(mrg('double *p = &K;\ndxdt_A = -K * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:8: mrgsolve construct '*' is not supported (a pointer)"
    );
    expect(refusal(mrg('double k = *K;\ndxdt_A = -k * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:12: mrgsolve construct '*' is not supported (a pointer)"
    );
  });

  it('#include', () => {
    expect(refusal(`$GLOBAL\n#include <cmath>\n${mrg('dxdt_A = -K * A;')}`, 'mrgsolve')).toBe(
      "x.cpp:2:1: mrgsolve construct '#include' is not supported (a preprocessor directive)"
    );
    expect(refusal(`$PREAMBLE\n${mrg('dxdt_A = -K * A;')}`, 'mrgsolve')).toBe(
      "x.cpp:1:1: mrgsolve construct '$PREAMBLE' is not supported"
    );
    expect(refusal(mrg('#include "helpers.h"\ndxdt_A = -K * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:1: mrgsolve construct '#include' is not supported (a preprocessor directive)"
    );
  });

  it('an unknown function', () => {
    expect(refusal(mrg('dxdt_A = -K * A * tgamma(K);'), 'mrgsolve')).toMatch(
      /^x\.cpp:4:19: mrgsolve construct 'tgamma\(\)' is not supported \(the functions are exp, log/
    );
  });

  it('integer division, bitwise xor, the remainder, data record variables', () => {
    expect(refusal(mrg('dxdt_A = -1/2 * K * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:12: '-1/2' is integer division in C++ (its value is 0); write -1.0/2 for a fraction"
    );
    expect(refusal(mrg('dxdt_A = -K^2 * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:12: mrgsolve construct '^' is not supported (bitwise xor in C++; use pow())"
    );
    expect(refusal(mrg('dxdt_A = -K % 2 * A;'), 'mrgsolve')).toMatch(/^x\.cpp:4:13: mrgsolve construct '%'/);
    expect(refusal(mrg('dxdt_A = -K * A * EVID;'), 'mrgsolve')).toBe(
      "x.cpp:4:19: mrgsolve construct 'EVID' is not supported (a data record variable)"
    );
  });

  it('an unknown name, an ETA beyond $OMEGA, an EPS outside an error pattern', () => {
    expect(refusal(mrg('dxdt_A = -KK * A;'), 'mrgsolve')).toBe("x.cpp:4:11: unknown name 'KK'");
    expect(
      refusal(
        `$OMEGA 0.1\n$PARAM K = 1\n$CMT A\n$MAIN\ndouble k = K * exp(ETA(2));\n$ODE\ndxdt_A = -k * A;`,
        'mrgsolve'
      )
    ).toBe('x.cpp:5:20: ETA(2) but $OMEGA declares 1');
    expect(
      refusal(
        `$SIGMA 0.1\n${mrg('dxdt_A = -K * A;')}$TABLE\ndouble Y = A * A * EPS(1);\n$CAPTURE Y`,
        'mrgsolve'
      )
    ).toMatch(/^x\.cpp:7:8: EPS\(\) is translated only as/);
  });

  it('$GLOBAL beyond #define NAME expression', () => {
    expect(refusal(`$GLOBAL\ndouble g = 1;\n${mrg('dxdt_A = -K * A;')}`, 'mrgsolve')).toBe(
      "x.cpp:2:1: mrgsolve construct 'double' is not supported ($GLOBAL may hold only #define NAME expression lines)"
    );
    expect(refusal(`$GLOBAL\n#define SQ(x) ((x)*(x))\n${mrg('dxdt_A = -K * A;')}`, 'mrgsolve')).toBe(
      "x.cpp:2:1: mrgsolve construct '#define SQ(…)' is not supported (a macro with arguments)"
    );
    expect(refusal(`$GLOBAL\n#define A2 (A2 * 2)\n${mrg('dxdt_A = -K * A2;')}`, 'mrgsolve')).toBe(
      "x.cpp:2:13: the macro 'A2' expands into itself"
    );
    const doubling = Array.from({ length: 40 }, (_, i) => `#define M${i + 1} (M${i} + M${i})`).join('\n');
    expect(refusal(`$GLOBAL\n#define M0 K\n${doubling}\n${mrg('dxdt_A = -M40 * A;')}`, 'mrgsolve')).toMatch(
      /^x\.cpp:\d+:\d+: macros expand to more than 10000 uses in one statement$/
    );
  });

  it('a model-defined infusion into a $PKMODEL compartment', () => {
    expect(
      refusal('$PARAM CL = 1, V = 10\n$CMT CENT\n$PKMODEL ncmt = 1\n$MAIN\nD_CENT = 2;\n', 'mrgsolve')
    ).toBe(
      "x.cpp:5:1: mrgsolve construct 'D_ or R_CENT' is not supported with $PKMODEL (give the infusion with the dose)"
    );
  });

  it('a value assigned on one branch only, read after the if', () => {
    expect(refusal(mrg('double k;\nif (K > 1) k = K;\ndxdt_A = -k * A;'), 'mrgsolve')).toBe(
      "x.cpp:6:11: 'k' is used here but has a value on only one branch of an if"
    );
  });

  it('blocks nested past the limit, and an expression past the operator limit', () => {
    expect(refusal(mrg(`${'{'.repeat(5000)}dxdt_A = -K * A;${'}'.repeat(5000)}`), 'mrgsolve')).toMatch(
      /^x\.cpp:4:\d+: blocks nested more than 100 deep$/
    );
    expect(refusal(mrg(`dxdt_A = -K * A${' + K'.repeat(20000)};`), 'mrgsolve')).toMatch(
      /^x\.cpp:4:\d+: an expression with more than 500 operators$/
    );
  });
});

describe('rxode2 refusals', () => {
  it('a for loop', () => {
    expect(refusal('k <- 1\nfor (i in 1:3) k <- k + i\nd/dt(A) <- -k * A\n', 'rxode2')).toBe(
      "x.R:2:1: rxode2 construct 'for' is not supported"
    );
  });

  it('an unknown function', () => {
    expect(refusal('k <- 1\nd/dt(A) <- -k * A * gamma(k)\n', 'rxode2')).toMatch(
      /^x\.R:2:21: rxode2 construct 'gamma\(\)' is not supported/
    );
  });

  it('a name with no value, an infusion by both duration and rate, an unknown error model', () => {
    expect(refusal('d/dt(A) <- -k * A\n', 'rxode2')).toMatch(
      /^x\.R:1:13: 'k' has no value: rxode2 takes it when solving/
    );
    expect(refusal('k <- 1\ndur(A) <- 1\nrate(A) <- 2\nd/dt(A) <- -k * A\n', 'rxode2')).toBe(
      "x.R:3:1: dur(A) and rate(A): a dose target's infusion has a duration or a rate, not both"
    );
    expect(
      refusal(
        'f <- function() {\n ini({ k <- 1 })\n model({\n  d/dt(A) <- -k * A\n  c <- A\n  c ~ pow(0.1, 1)\n })\n}\n',
        'rxode2'
      )
    ).toMatch(/^x\.R:6:7: rxode2 construct 'pow\(\)' is not supported \(residual errors/);
  });

  it('linCmt()', () => {
    expect(refusal('k <- 1\ncp <- linCmt()\n', 'rxode2')).toBe(
      "x.R:2:7: rxode2 construct 'linCmt()' is not supported (write the compartments as d/dt() equations)"
    );
  });

  it('the remainder and list access', () => {
    expect(refusal('k <- 1\nd/dt(A) <- -(k %% 2) * A\n', 'rxode2')).toMatch(
      /^x\.R:2:16: rxode2 construct '%%'/
    );
    expect(refusal('k <- 1\nd/dt(A) <- -p$k * A\n', 'rxode2')).toMatch(/^x\.R:2:14: rxode2 construct '\$'/);
  });
});

describe('models that are not whole', () => {
  it('no equations, a compartment without one, an equation on one branch only', () => {
    expect(refusal('# nothing here\n', 'rxode2')).toBe('x.R:1:1: no d/dt() equations in this rxode2 model');
    expect(refusal('$PARAM K = 1\n', 'mrgsolve')).toBe(
      'x.cpp:1:1: no compartments: declare them in $CMT or $INIT (or use $PKMODEL)'
    );
    expect(refusal('$PARAM K = 1\n$CMT A B\n$ODE\ndxdt_A = -K * A;\n', 'mrgsolve')).toBe(
      "x.cpp:3:1: 'B' has no equation: write dxdt_B = …; in $ODE"
    );
    expect(refusal(mrg('if (A > 1) dxdt_A = -K * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:1: 'dxdt_A' has a value on only one branch of an if"
    );
  });

  it('the time assigned, an equation given twice, an error term twice, a @block of the wrong size, a control character', () => {
    expect(refusal('t <- 1\nd/dt(A) <- -t * A\n', 'rxode2')).toBe("x.R:1:1: 't' is the time, not a variable");
    expect(refusal(mrg('TIME = 2;\ndxdt_A = -K * A;'), 'mrgsolve')).toBe(
      "x.cpp:4:1: 'TIME' is the time, not a variable"
    );
    expect(refusal('k <- 1\nd/dt(A) <- -A\nd/dt(A) <- -k * A\n', 'rxode2')).toBe(
      'x.R:2:1: d/dt(A) is given again later (write one)'
    );
    expect(refusal('k <- 1\nd/dt(A) <- -k * A\ny <- A\ny ~ prop(0.1) + prop(0.2)\n', 'rxode2')).toBe(
      'x.R:4:17: prop() is given twice'
    );
    expect(refusal(`$OMEGA @block 0.1 0.2\n${mrg('dxdt_A = -K * A;')}`, 'mrgsolve')).toBe(
      'x.cpp:1:1: a @block matrix needs a lower triangle (1, 3, 6, 10… numbers), got 2'
    );
    expect(refusal('k <- 1\nd/dt(A) <- -k * A\u0001\n', 'rxode2')).toBe(
      'x.R:2:18: expected the end of the statement but found character U+0001'
    );
  });
});

describe('size', () => {
  it('a file over the size limit is refused; a large one is imported in linear time', () => {
    expect(refusal(`k <- 1\n${'x <- 1\n'.repeat(200_000)}`, 'rxode2')).toMatch(
      /^x\.R:1:1: the model is \d+ characters; at most 1048576 are read$/
    );
    // 40,000 quantities that change with time, each an output: quadratic work took minutes.
    const text = `k <- 1\n${Array.from({ length: 40_000 }, (_, i) => `x${i} <- A * ${i}`).join('\n')}\nd/dt(A) <- -k * A\n`;
    const start = performance.now();
    importModelText(text, 'x.R', 'rxode2');
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
