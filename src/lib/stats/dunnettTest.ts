// Dunnett's many-to-one comparisons of k arms against one control with a pooled variance:
// single-step adjusted two-sided p-values and simultaneous confidence intervals, as R
// multcomp::glht(lm(y ~ group), mcp(group = "Dunnett")). The multivariate t probability of the
// one-factor correlation ρ_ij = λ_i λ_j, λ_i = sqrt(n_i / (n_i + n_0)), is reduced to a double
// integral (over the common normal factor and the chi scale) evaluated by composite Simpson rules.
// Reference: Dunnett (1955), JASA 50:1096–1121; Hsu (1996), Multiple Comparisons, §3.1 and §A.
import { StatsInputError } from './errors';
import { normalCdf } from './distributions';
import { moments } from './moments';
import { brentRoot } from './root';
import { logGamma } from './special';
import { assertConfLevel } from './validate';

export interface DunnettComparison {
  /** index of the arm in the `arms` argument */
  arm: number;
  estimate: number;
  stdErr: number;
  statistic: number;
  /** single-step adjusted two-sided p-value */
  pValue: number;
  ciLower: number;
  ciUpper: number;
}

export interface DunnettResult {
  comparisons: DunnettComparison[];
  df: number;
  /** pooled residual standard deviation */
  sigma: number;
  /** two-sided simultaneous critical value |t| */
  criticalValue: number;
  confLevel: number;
}

function simpsonWeights(n: number, h: number): Float64Array {
  const w = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) w[i] = ((i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3;
  return w;
}

/** P(max_j |T_j| < c) for the one-factor multivariate t (df = Infinity for normal). */
function makeCoverage(lambda: Float64Array, df: number): (c: number) => number {
  const NZ = 80;
  const zMax = 8.5;
  const hz = (2 * zMax) / NZ;
  const wz = simpsonWeights(NZ, hz);
  const zs = Float64Array.from({ length: NZ + 1 }, (_, i) => -zMax + i * hz);
  const phi = zs.map((z) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
  const rootOneMinus = lambda.map((l) => Math.sqrt(1 - l * l));
  const inner = (cs: number): number => {
    let s = 0;
    for (let i = 0; i <= NZ; i++) {
      let prod = 1;
      for (let j = 0; j < lambda.length; j++) {
        const lz = lambda[j] * zs[i];
        prod *= normalCdf((cs - lz) / rootOneMinus[j]) - normalCdf((-cs - lz) / rootOneMinus[j]);
      }
      s += wz[i] * phi[i] * prod;
    }
    return s;
  };
  if (df === Infinity) return inner;
  // density of S = sqrt(χ²_df / df) on a range holding all but ~e^-40 of its mass
  const logDens = (s: number) =>
    (df / 2) * Math.log(df / 2) - logGamma(df / 2) + Math.log(2) + (df - 1) * Math.log(s) - (df * s * s) / 2;
  const mode = Math.sqrt((df - 1) / df);
  const top = logDens(Math.max(mode, 1e-3));
  let sMax = Math.max(mode, 1e-3);
  while (logDens(sMax) > top - 40) sMax *= 1.25;
  let sMin = Math.max(mode, 1e-3);
  while (sMin > 1e-12 && logDens(sMin) > top - 40) sMin /= 1.25;
  // small df: the chi scale has mass near 0 where the integrand varies on the scale 1/c
  const NS = df < 5 ? 1024 : df < 12 ? 256 : 128;
  const hs = (sMax - sMin) / NS;
  const ws = simpsonWeights(NS, hs);
  return (c: number) => {
    let total = 0;
    for (let i = 0; i <= NS; i++) {
      const s = sMin + i * hs;
      total += ws[i] * Math.exp(logDens(s)) * inner(c * s);
    }
    return total;
  };
}

/** Dunnett many-to-one comparisons of each arm vs control (arm − control), pooled variance. */
export function dunnettTest(
  arms: ReadonlyArray<ArrayLike<number>>,
  control: ArrayLike<number>,
  options: { confLevel?: number } = {}
): DunnettResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  if (arms.length < 1) throw new StatsInputError('dunnettTest needs at least one arm');
  const c = moments(control, 'control');
  const a = arms.map((x, i) => moments(x, `arms[${i}]`));
  const N = c.n + a.reduce((s, m) => s + m.n, 0);
  const df = N - arms.length - 1;
  if (df < 1)
    throw new StatsInputError(
      `dunnettTest needs more observations than groups (got ${N} for ${arms.length + 1} groups)`
    );
  const sigma = Math.sqrt((c.ss + a.reduce((s, m) => s + m.ss, 0)) / df);
  if (!(sigma > 0)) throw new StatsInputError('dunnettTest: the pooled variance is zero');
  const lambda = Float64Array.from(a, (m) => Math.sqrt(m.n / (m.n + c.n)));
  const coverage = makeCoverage(lambda, df);
  let hi = 12;
  while (coverage(hi) < confLevel) hi *= 2;
  const crit = brentRoot((x) => coverage(x) - confLevel, 0, hi, 1e-10);
  const comparisons = a.map((m, i) => {
    const estimate = m.mean - c.mean;
    const stdErr = sigma * Math.sqrt(1 / m.n + 1 / c.n);
    const statistic = estimate / stdErr;
    return {
      arm: i,
      estimate,
      stdErr,
      statistic,
      pValue: Math.min(1, Math.max(0, 1 - coverage(Math.abs(statistic)))),
      ciLower: estimate - crit * stdErr,
      ciUpper: estimate + crit * stdErr
    };
  });
  return { comparisons, df, sigma, criticalValue: crit, confLevel };
}
