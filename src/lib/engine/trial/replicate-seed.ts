import { mix32 } from '../rng';

/**
 * The seed of replicate r of a trial: the protocol seed itself for r = 0 (so a single
 * trial uses exactly its stated seed), else a hash of (seed, r). Every stream of the
 * replicate — cohort, parameters, residuals, allocation, dropout — is keyed by it.
 */
export function replicateSeed(seed: number, replicate: number): number {
  if (replicate === 0) return seed;
  const lo = mix32((seed >>> 0) ^ mix32(replicate ^ 0x5bd1e995));
  const hi = mix32(Math.floor(seed / 4294967296) ^ mix32(replicate + 0x27d4eb2f)) & 0x1fffff;
  return hi * 4294967296 + lo;
}
