// Descriptive summary of one sample: n, mean, SD, SE, median, quartiles, range, t-based CI of the mean.
// Reference: R mean/sd/quantile(type = 7)/t.test(x)$conf.int.
import { studentTQuantile } from './distributions';
import { assertConfLevel } from './validate';
import { moments } from './moments';
import { quantileSorted } from './quantile';

export interface DescriptiveSummary {
  n: number;
  mean: number;
  /** sample standard deviation (n − 1 denominator); null when n < 2 */
  sd: number | null;
  /** standard error of the mean; null when n < 2 */
  se: number | null;
  median: number;
  /** first and third quartiles, R quantile type 7 */
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** t-based confidence interval of the mean; null when n < 2 */
  ciLower: number | null;
  ciUpper: number | null;
  confLevel: number;
}

/** Summarises a sample; throws StatsInputError when it is empty or holds a non-finite value. */
export function describe(x: ArrayLike<number>, options: { confLevel?: number } = {}): DescriptiveSummary {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const m = moments(x, 'x');
  const n = m.n;
  const sorted = Float64Array.from(x).sort();
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  let sd: number | null = null;
  let se: number | null = null;
  let ciLower: number | null = null;
  let ciUpper: number | null = null;
  if (n >= 2) {
    sd = Math.sqrt(m.ss / (n - 1));
    se = sd / Math.sqrt(n);
    const half = studentTQuantile(1 - (1 - confLevel) / 2, n - 1) * se;
    ciLower = m.mean - half;
    ciUpper = m.mean + half;
  }
  return {
    n,
    mean: m.mean,
    sd,
    se,
    median,
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: sorted[0],
    max: sorted[n - 1],
    ciLower,
    ciUpper,
    confLevel
  };
}
