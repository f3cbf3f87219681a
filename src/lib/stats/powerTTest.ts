// Power and sample size for a two-sample, two-sided t test with the exact noncentral-t
// computation, as R power.t.test(type = "two.sample", alternative = "two.sided", strict = FALSE):
// give exactly two of n (per group), delta and power; the third is solved.
// Reference: R stats::power.t.test; Cohen (1988), Statistical Power Analysis, ch. 2.
import { StatsInputError } from './errors';
import { studentTQuantile } from './distributions';
import { noncentralTCdf } from './noncentralT';
import { brentRoot } from './root';

export interface PowerTTestInput {
  /** per-group sample size (may be fractional when solved) */
  n?: number;
  /** true difference in means */
  delta?: number;
  sd?: number;
  sigLevel?: number;
  power?: number;
}

export interface PowerTTestResult {
  n: number;
  delta: number;
  sd: number;
  sigLevel: number;
  power: number;
}

function powerAt(n: number, delta: number, sd: number, sigLevel: number): number {
  const nu = (n - 1) * 2;
  const q = studentTQuantile(1 - sigLevel / 2, nu);
  return noncentralTCdf(q, nu, Math.sqrt(n / 2) * (delta / sd), false);
}

/** Solves power.t.test for whichever of n, delta, power is missing. */
export function powerTTest(input: PowerTTestInput): PowerTTestResult {
  const sd = input.sd ?? 1;
  const sigLevel = input.sigLevel ?? 0.05;
  if (!(sd > 0)) throw new StatsInputError(`sd must be > 0, got ${sd}`);
  if (!(sigLevel > 0 && sigLevel < 1))
    throw new StatsInputError(`sigLevel must be in (0, 1), got ${sigLevel}`);
  const missing = (['n', 'delta', 'power'] as const).filter((k) => input[k] === undefined);
  if (missing.length !== 1) throw new StatsInputError('powerTTest: give exactly two of n, delta and power');
  if (input.n !== undefined && !(input.n >= 2)) throw new StatsInputError(`n must be ≥ 2, got ${input.n}`);
  if (input.power !== undefined && !(input.power > sigLevel / 2 && input.power < 1)) {
    throw new StatsInputError(`power must be in (sigLevel/2, 1), got ${input.power}`);
  }
  if (input.delta !== undefined && !(Number.isFinite(input.delta) && input.delta !== 0)) {
    throw new StatsInputError(`delta must be a non-zero finite number, got ${input.delta}`);
  }
  if (missing[0] === 'power') {
    const delta = Math.abs(input.delta as number);
    return {
      n: input.n as number,
      delta,
      sd,
      sigLevel,
      power: powerAt(input.n as number, delta, sd, sigLevel)
    };
  }
  const target = input.power as number;
  if (missing[0] === 'n') {
    const delta = Math.abs(input.delta as number);
    const f = (n: number) => powerAt(n, delta, sd, sigLevel) - target;
    if (f(2) >= 0)
      throw new StatsInputError('powerTTest: the requested power is reached with n < 2 per group');
    let hi = 4;
    while (f(hi) < 0) {
      hi *= 2;
      if (hi > 1e9) throw new StatsInputError('powerTTest: required n exceeds 1e9 per group');
    }
    return { n: brentRoot(f, 2, hi, 1e-10), delta, sd, sigLevel, power: target };
  }
  const n = input.n as number;
  const f = (delta: number) => powerAt(n, delta, sd, sigLevel) - target;
  let hi = sd;
  while (f(hi) < 0) hi *= 2;
  return { n, delta: brentRoot(f, sd * 1e-7, hi, 1e-12 * sd), sd, sigLevel, power: target };
}
