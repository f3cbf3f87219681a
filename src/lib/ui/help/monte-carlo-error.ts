import { normalQuantile } from '../../engine/rng';

/**
 * Monte Carlo error of a simulated power: R replicate trials of which a share p reject is a
 * binomial proportion, so its standard error is √(p(1 − p)/R) and a normal-approximation
 * interval of half-width h at level 1 − α needs R = z²·p(1 − p)/h² replicates, z = Φ⁻¹(1 − α/2)
 * (A. Burton et al., "The design of simulation studies in medical statistics", Stat Med 25
 * (2006) 4279–4292, §2.5; T. P. Morris, I. R. White, M. J. Crowther, Stat Med 38 (2019) 2074–2102,
 * §5.3). The Power page's intervals are Wilson's, which these formulas approximate for R·p ≫ 1.
 */
export function monteCarloSe(power: number, replicates: number): number {
  checkPower(power);
  if (!(Number.isInteger(replicates) && replicates >= 1))
    throw new RangeError(`replicates must be a whole number ≥ 1, got ${replicates}`);
  return Math.sqrt((power * (1 - power)) / replicates);
}

/** Replicates needed for a Monte Carlo interval of ± halfWidth around a power near `power`. */
export function replicatesFor(power: number, halfWidth: number, level = 0.95): number {
  checkPower(power);
  if (!(halfWidth > 0 && halfWidth < 1))
    throw new RangeError(`halfWidth must be in (0, 1), got ${halfWidth}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const z = normalQuantile(1 - (1 - level) / 2);
  return Math.ceil((z * z * power * (1 - power)) / (halfWidth * halfWidth));
}

function checkPower(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`power must be a proportion in [0, 1], got ${p}`);
}
