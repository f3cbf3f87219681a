// Interaction test of a 2×2 factorial design: the A:B coefficient of R lm(y ~ A * B) with A and
// B coded 0/1, its t test on n − 4 df and confidence interval (summary(), confint()). The model is
// saturated in the four cells, so the coefficient is the difference of differences of the cell
// means, (ȳ₁₁ − ȳ₁₀) − (ȳ₀₁ − ȳ₀₀), with variance σ̂² Σ 1/n_cell and σ̂² the pooled within-cell
// variance (Montgomery, Design and Analysis of Experiments, 9th ed., §5.3).
import { StatsInputError } from './errors';
import { coefficientTest, type CoefficientTest } from './coefficientTest';
import { moments } from './moments';
import { assertConfLevel, assertSameLength } from './validate';

export interface FactorialInput {
  outcome: ArrayLike<number>;
  /** factor A per row: 1 = given, 0 = not */
  a: ArrayLike<number>;
  /** factor B per row: 1 = given, 0 = not */
  b: ArrayLike<number>;
}

export interface FactorialCell {
  a: 0 | 1;
  b: 0 | 1;
  n: number;
  mean: number;
}

export interface FactorialInteractionResult extends CoefficientTest {
  /** estimate: (ȳ₁₁ − ȳ₁₀) − (ȳ₀₁ − ȳ₀₀), how much the combination differs from additive effects */
  confLevel: number;
  /** n − 4 */
  df: number;
  residualSd: number;
  /** cells in the order (0,0), (1,0), (0,1), (1,1) */
  cells: FactorialCell[];
}

const CELLS: ReadonlyArray<readonly [0 | 1, 0 | 1]> = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1]
];

/** The A:B interaction of lm(y ~ A * B) on a 2×2 factorial. */
export function factorialInteraction(
  input: FactorialInput,
  options: { confLevel?: number } = {}
): FactorialInteractionResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const { outcome: y, a, b } = input;
  const n = y.length;
  assertSameLength(a, n, 'a', 'outcome');
  assertSameLength(b, n, 'b', 'outcome');
  const byCell: number[][] = [[], [], [], []];
  for (let i = 0; i < n; i++) {
    for (const [name, v] of [
      ['a', a[i]],
      ['b', b[i]]
    ] as const) {
      if (v !== 0 && v !== 1) throw new StatsInputError(`${name}[${i}] must be 0 or 1, got ${v}`);
    }
    byCell[a[i] + 2 * b[i]].push(y[i]);
  }
  let ss = 0;
  let inverseN = 0;
  const cells = CELLS.map(([ca, cb], k): FactorialCell => {
    if (byCell[k].length === 0) {
      throw new StatsInputError(
        `the cell A = ${ca}, B = ${cb} has no observations; a 2×2 factorial needs all four`
      );
    }
    const m = moments(byCell[k], `outcome (A = ${ca}, B = ${cb})`);
    ss += m.ss;
    inverseN += 1 / m.n;
    return { a: ca, b: cb, n: m.n, mean: m.mean };
  });
  const df = n - 4;
  if (df < 1) throw new StatsInputError(`a 2×2 factorial needs at least 5 observations, got ${n}`);
  const sigma2 = ss / df;
  if (!(sigma2 > 0)) throw new StatsInputError('every cell is constant (zero residual variance)');
  const [m00, m10, m01, m11] = cells.map((c) => c.mean);
  const estimate = m11 - m10 - (m01 - m00);
  return {
    ...coefficientTest(estimate, Math.sqrt(sigma2 * inverseN), df, confLevel),
    confLevel,
    df,
    residualSd: Math.sqrt(sigma2),
    cells
  };
}
