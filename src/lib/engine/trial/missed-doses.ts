import type { Dose } from '../models';
import type { RandomStream } from '../rng';

/** Adherence: the probability of missing a dosing occasion, and of missing the next
 * one after a miss (a two-state Markov chain) when given. */
export interface Adherence {
  missed: number;
  stayMissing?: number;
}

/**
 * Missed dosing occasions (independent, or a two-state Markov chain), one uniform draw
 * of `rng` per occasion in time order. An occasion is a time at which the twin is due a
 * dose of either drug: a missed occasion skips every drug due then (a combination is
 * taken together). Returns the primary drug's doses taken and the missed occasions'
 * times (which the caller records as events).
 */
export function missedDoses(
  doses: Dose[],
  companionTimes: number[],
  adherence: Adherence,
  rng: RandomStream
): { doses: Dose[]; missed: number[] } {
  const occasions = companionTimes.length
    ? [...new Set([...doses.map((d) => d.time), ...companionTimes])].sort((a, b) => a - b)
    : undefined;
  const count = occasions ? occasions.length : doses.length;
  const missed: number[] = [];
  const kept: Dose[] = [];
  let previousMissed = false;
  for (let k = 0; k < count; k++) {
    const time = occasions ? occasions[k] : doses[k].time;
    const p: number =
      previousMissed && adherence.stayMissing !== undefined ? adherence.stayMissing : adherence.missed;
    previousMissed = rng.uniform() < p;
    if (previousMissed) missed.push(time);
    else if (!occasions) kept.push(doses[k]);
  }
  return { doses: occasions ? doses.filter((d) => !missed.includes(d.time)) : kept, missed };
}
