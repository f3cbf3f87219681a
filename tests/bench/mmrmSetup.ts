/**
 * A deterministic repeated-measures trial for the MMRM benchmark and tests: two arms, `visits`
 * visits, correlated residuals (random intercept + AR(1)), baseline, and MAR dropout driven by
 * the last observed value. Draws come from RandomStream keyed by (seed, purpose, subject).
 */
import { RandomStream, purposeHash } from '../../src/lib/engine/rng';
import type { MmrmInput } from '../../src/lib/stats';

export function mmrmTrial(subjects: number, visits: number, seed = 13): MmrmInput {
  const outcome: number[] = [];
  const subject: number[] = [];
  const visit: number[] = [];
  const arm: string[] = [];
  const baseline: number[] = [];
  const rng = new RandomStream();
  const purpose = purposeHash('mmrm-bench');
  for (let s = 1; s <= subjects; s++) {
    rng.reset(seed, purpose, s);
    const active = s % 2 === 0;
    const b = 150 + 12 * rng.normal();
    const u = 4 * rng.normal();
    let e = 0;
    for (let v = 1; v <= visits; v++) {
      e = 0.6 * e + 3 * rng.normal();
      const y = 150 + 0.6 * (b - 150) - 1.5 * v - (active ? 1.2 * v : 0) + u + e * (1 + 0.1 * v);
      outcome.push(y);
      subject.push(s);
      visit.push(v);
      arm.push(active ? 'active' : 'placebo');
      baseline.push(b);
      if (v < visits && rng.uniform() < 1 / (1 + Math.exp(2.8 - 0.08 * (y - 145)))) break;
    }
  }
  return { outcome, subject, visit, arm, baseline };
}
