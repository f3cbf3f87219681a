// MMRM input checks, fallbacks and output hygiene (no NaN, every message names the bad value).
import { describe, expect, it } from 'vitest';
import { StatsInputError, mmrm, type MmrmInput, type MmrmResult } from '../../../src/lib/stats';
import { mmrmTrial } from '../../bench/mmrmSetup';

/** Two arms × `visits`, `perArm` subjects each, complete data with a deterministic pattern. */
function small(
  perArm = 6,
  visits = 3
): {
  outcome: number[];
  subject: string[];
  visit: string[];
  arm: string[];
  baseline: number[];
} {
  const d = {
    outcome: [] as number[],
    subject: [] as string[],
    visit: [] as string[],
    arm: [] as string[],
    baseline: [] as number[]
  };
  for (let a = 0; a < 2; a++)
    for (let i = 0; i < perArm; i++) {
      const id = `s${a}-${i}`;
      const b = 10 + ((i * 7 + a * 3) % 5);
      for (let v = 1; v <= visits; v++) {
        d.outcome.push(b + v + a * v + Math.sin(i * 1.7 + v * 2.3 + a));
        d.subject.push(id);
        d.visit.push(String(v));
        d.arm.push(a ? 'drug' : 'placebo');
        d.baseline.push(b);
      }
    }
  return d;
}

function expectFiniteNumbers(x: unknown, path = 'result'): void {
  if (typeof x === 'number') expect(Number.isFinite(x), `${path} = ${x}`).toBe(true);
  else if (Array.isArray(x)) x.forEach((v, i) => expectFiniteNumbers(v, `${path}[${i}]`));
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) expectFiniteNumbers(v, `${path}.${k}`);
}

describe('mmrm input checks', () => {
  it('names a visit with no observations in an arm', () => {
    const d = small();
    d.outcome = d.outcome.map((y, i) => (d.arm[i] === 'drug' && d.visit[i] === '2' ? NaN : y));
    expect(() => mmrm(d, { control: 'placebo' })).toThrow(/visit "2" has no observations in arm "drug"/);
  });

  it('names the bad row, subject or level', () => {
    const d = small();
    const bad =
      (patch: Partial<MmrmInput>, opts = {}): (() => MmrmResult) =>
      () =>
        mmrm({ ...d, ...patch }, { control: 'placebo', ...opts });
    expect(bad({}, { control: 'none' })).toThrow(
      /control "none" is not an arm level; arms are drug, placebo/
    );
    expect(bad({ outcome: d.outcome.map((y, i) => (i === 4 ? Infinity : y)) })).toThrow(/outcome\[4\]/);
    expect(bad({ arm: d.arm.map((a, i) => (i === 1 ? 'drug' : a)) })).toThrow(
      /subject "s0-0" is in arm "placebo" at row 0 and "drug" at row 1/
    );
    expect(bad({ visit: d.visit.map((v, i) => (i === 1 ? '1' : v)) })).toThrow(
      /subject "s0-0" has two outcomes at visit "1"/
    );
    expect(bad({ baseline: d.baseline.map((b, i) => (i === 2 ? b + 1 : b)) })).toThrow(
      /subject "s0-0" has baseline .* it must be constant/
    );
    expect(bad({ baseline: d.baseline.map((b, i) => (i === 2 ? NaN : b)) })).toThrow(/baseline\[2\]/);
    expect(bad({ subject: d.subject.map((s, i) => (i === 3 ? '' : s)) })).toThrow(/subject\[3\] is empty/);
    expect(bad({}, { visitLevels: ['1', '2'] })).toThrow(
      /visit\[2\] "3" is not a visit level; levels are 1, 2/
    );
    expect(bad({}, { at: '9' })).toThrow(/at "9" is not a visit level; levels are 1, 2, 3/);
    expect(bad({}, { confLevel: 1.5 })).toThrow(StatsInputError);
    expect(bad({ arm: d.arm.map(() => 'placebo') })).toThrow(/at least two arms/);
    expect(bad({ outcome: d.outcome.slice(1) })).toThrow(/length/);
  });

  it('names a singular design', () => {
    const d = small();
    expect(() => mmrm({ ...d, baseline: d.baseline.map(() => 5) }, { control: 'placebo' })).toThrow(
      /design is singular: baseline at visit "1"/
    );
  });
});

describe('mmrm results', () => {
  it('orders numeric visits numerically and reports the last visit by default', () => {
    const d = small(8, 3);
    d.visit = d.visit.map((v) => String(Number(v) * 4)); // 4, 8, 12: "12" sorts last numerically
    const r = mmrm(d, { control: 'placebo', covariance: ['compound-symmetry'] });
    expect(r.visits).toEqual(['4', '8', '12']);
    expect(r.at).toBe('12');
    expect(r.primary).toHaveLength(1);
    expect(r.primary[0]).toEqual(r.effects.find((e) => e.visit === '12'));
    const e = r.primary[0];
    expect(e.ciLow).toBeLessThan(e.estimate);
    expect(e.ciHigh).toBeGreaterThan(e.estimate);
    expectFiniteNumbers(r);
  });

  it('falls back from unstructured when two visits are never observed together, and says why', () => {
    const d = small(12, 3);
    // visit 3 only for subjects missing visit 2: Σ[2,3] is not identifiable
    d.outcome = d.outcome.map((y, i) => {
      const odd = Number(d.subject[i].split('-')[1]) % 2 === 1;
      return (d.visit[i] === '2' && odd) || (d.visit[i] === '3' && !odd) ? NaN : y;
    });
    const r = mmrm(d, { control: 'placebo' });
    expect(r.covariance).not.toBe('unstructured');
    expect(r.fallbackReason).toMatch(
      /^unstructured: visits "2" and "3" are never observed in the same subject$/
    );
    expect(r.covariance).toBe('heterogeneous-toeplitz');
    expect(r.converged).toBe(true);
    expectFiniteNumbers(r);
  });

  // REML is equivariant in the outcome's scale: y·c scales β̂ and its SEs by c, Σ̂ by c², and
  // leaves every df unchanged; the fit must find that at any scale, in as few steps (an HbA1c
  // outcome, variances near 0.05, once took a quasi-Newton search thousands of iterations)
  it('is equivariant in the outcome scale, in as few iterations at every scale', () => {
    const d = mmrmTrial(400, 6);
    const fit = (c: number): MmrmResult =>
      mmrm(
        {
          ...d,
          outcome: Array.from(d.outcome, (y) => y * c),
          baseline: Array.from(d.baseline!, (b) => b * c)
        },
        { control: 'placebo' }
      );
    const ref = fit(1);
    for (const c of [0.01, 100]) {
      const r = fit(c);
      expect(r.covariance).toBe('unstructured');
      expect(r.iterations).toBeLessThanOrEqual(12);
      r.effects.forEach((e, i) => {
        const e1 = ref.effects[i];
        expect(Math.abs(e.estimate / c - e1.estimate)).toBeLessThan(1e-8 * e1.stdErr);
        expect(Math.abs(e.stdErr / c / e1.stdErr - 1)).toBeLessThan(1e-8);
        expect(Math.abs(e.df / e1.df - 1)).toBeLessThan(1e-6);
      });
    }
    expect(ref.iterations).toBeLessThanOrEqual(12);
  });

  it('fits 1,000 subjects × 6 visits with an unstructured covariance and Satterthwaite df', () => {
    const r = mmrm(mmrmTrial(1000, 6), { control: 'placebo' });
    expect(r.covariance).toBe('unstructured');
    expect(r.fallbackReason).toBeNull();
    expect(r.dfMethod).toBe('satterthwaite');
    expect(r.effects).toHaveLength(6);
    // the simulated effect at visit 6 is −1.2 × 6 = −7.2
    expect(r.primary[0].ciLow).toBeLessThan(-7.2);
    expect(r.primary[0].ciHigh).toBeGreaterThan(-7.2);
    expectFiniteNumbers(r);
  });
});
