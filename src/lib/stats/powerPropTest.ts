// Power and sample size for comparing two proportions (two-sided, normal approximation), as
// R power.prop.test(strict = FALSE): give two of n (per group) and power with p1, p2.
// Reference: R stats::power.prop.test; Fleiss, Levin & Paik (2003), Statistical Methods for Rates
// and Proportions, §4.2.
import { StatsInputError } from './errors';
import { normalCdf, normalQuantile } from './distributions';

export interface PowerPropTestInput {
  n?: number;
  p1: number;
  p2: number;
  sigLevel?: number;
  power?: number;
}

export interface PowerPropTestResult {
  n: number;
  p1: number;
  p2: number;
  sigLevel: number;
  power: number;
}

/** Solves power.prop.test for n (closed form of R's equation) or for power. */
export function powerPropTest(input: PowerPropTestInput): PowerPropTestResult {
  const { p1, p2 } = input;
  const sigLevel = input.sigLevel ?? 0.05;
  if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1))
    throw new StatsInputError(`p1 and p2 must be in (0, 1), got ${p1}, ${p2}`);
  if (p1 === p2) throw new StatsInputError('p1 and p2 must differ');
  if (!(sigLevel > 0 && sigLevel < 1))
    throw new StatsInputError(`sigLevel must be in (0, 1), got ${sigLevel}`);
  const qu = normalQuantile(1 - sigLevel / 2);
  const a = qu * Math.sqrt((p1 + p2) * (1 - (p1 + p2) / 2));
  const b = Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  const diff = Math.abs(p1 - p2);
  if (input.n !== undefined && input.power === undefined) {
    if (!(input.n >= 2)) throw new StatsInputError(`n must be ≥ 2, got ${input.n}`);
    return { n: input.n, p1, p2, sigLevel, power: normalCdf((Math.sqrt(input.n) * diff - a) / b) };
  }
  if (input.power !== undefined && input.n === undefined) {
    const power = input.power;
    if (!(power > 0 && power < 1)) throw new StatsInputError(`power must be in (0, 1), got ${power}`);
    const sqrtN = (a + normalQuantile(power) * b) / diff;
    if (!(sqrtN * sqrtN >= 2 && sqrtN > 0)) {
      throw new StatsInputError('powerPropTest: the requested power is reached with n < 2 per group');
    }
    return { n: sqrtN * sqrtN, p1, p2, sigLevel, power };
  }
  throw new StatsInputError('powerPropTest: give exactly one of n and power');
}
