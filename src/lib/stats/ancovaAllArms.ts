// ANCOVA of several arms in one model, as trial statisticians fit it: R lm(y ~ arm + baseline)
// with the control as the reference level, so every active arm's effect shares one residual
// variance and one baseline slope (residual df n − k − 1 for k arms). Each arm's coefficient is
// reported with its SE, t test and confidence interval (summary(), confint()). The fit is
// ancova()'s: the first active arm's indicator as the treatment, the other arms' indicators as
// covariates.
import { ancova } from './ancova';
import { StatsInputError } from './errors';
import { coefficientTest, type CoefficientTest } from './coefficientTest';
import { assertConfLevel, assertSameLength } from './validate';

export interface AncovaAllArmsInput {
  outcome: ArrayLike<number>;
  /** each row's arm: 0 = control, 1 … k − 1 the active arms */
  arm: ArrayLike<number>;
  baseline: ArrayLike<number>;
}

export interface AncovaArmEffect extends CoefficientTest {
  /** the arm's index (1 … k − 1); estimate is its adjusted effect, arm − control */
  arm: number;
}

export interface AncovaAllArmsResult {
  /** one per active arm, in arm order */
  effects: AncovaArmEffect[];
  /** the common baseline slope */
  slope: number;
  slopeStdErr: number;
  /** residual degrees of freedom, n − k − 1 */
  df: number;
  n: number;
  residualSd: number;
  confLevel: number;
}

/** Fits outcome ~ arm + baseline on all arms and reports each active arm against the control. */
export function ancovaAllArms(
  input: AncovaAllArmsInput,
  options: { confLevel?: number } = {}
): AncovaAllArmsResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const n = input.outcome.length;
  assertSameLength(input.arm, n, 'arm', 'outcome');
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = input.arm[i];
    if (!(Number.isInteger(a) && a >= 0)) {
      throw new StatsInputError(`arm[${i}] must be an arm index 0, 1, 2, … (0 = control), got ${a}`);
    }
    if (a + 1 > k) k = a + 1;
  }
  const count = new Float64Array(k);
  for (let i = 0; i < n; i++) count[input.arm[i]]++;
  count.forEach((c, a) => {
    if (c === 0)
      throw new StatsInputError(`arm ${a} has no rows; arms are numbered 0 … ${k - 1} without gaps`);
  });
  if (k < 2) throw new StatsInputError('ANCOVA needs the control (arm 0) and at least one active arm');
  const indicators: Float64Array[] = [];
  for (let a = 1; a < k; a++) {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) if (input.arm[i] === a) d[i] = 1;
    indicators.push(d);
  }
  const fit = ancova(
    {
      outcome: input.outcome,
      treatment: indicators[0],
      baseline: input.baseline,
      covariates: indicators.slice(1)
    },
    { confLevel }
  );
  // coefficients: arm 1, baseline, arm 2, …, arm k − 1
  const armCoefficient = (a: number) => fit.coefficients[a === 1 ? 0 : a];
  const effects = Array.from({ length: k - 1 }, (_, j): AncovaArmEffect => {
    const { estimate, stdErr } = armCoefficient(j + 1);
    return { arm: j + 1, ...coefficientTest(estimate, stdErr, fit.df, confLevel) };
  });
  return {
    effects,
    slope: fit.coefficients[1].estimate,
    slopeStdErr: fit.coefficients[1].stdErr,
    df: fit.df,
    n,
    residualSd: fit.residualSd,
    confLevel
  };
}
