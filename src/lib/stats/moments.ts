// Mean and centred sum of squares in two passes with the Chan–Golub–LeVeque correction
// (Chan, Golub & LeVeque 1983, Am. Stat. 37:242), matching R's mean()/var() to rounding.
import { StatsInputError } from './errors';

export interface Moments {
  n: number;
  mean: number;
  /** Σ (x − mean)² */
  ss: number;
}

/** n, mean and centred sum of squares of `x`; throws on non-finite values. */
export function moments(x: ArrayLike<number>, name: string): Moments {
  const n = x.length;
  if (n === 0) throw new StatsInputError(`${name} is empty`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  if (!Number.isFinite(sum)) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i])) throw new StatsInputError(`${name}[${i}] is not a finite number (${x[i]})`);
    }
    throw new StatsInputError(`${name}: sum overflows double precision`);
  }
  let mean = sum / n;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    ss += d * d;
    comp += d;
  }
  ss -= (comp * comp) / n;
  mean += comp / n;
  return { n, mean, ss: Math.max(ss, 0) };
}
