import { beforeAll, describe, expect, it } from 'vitest';
import { compileCohort, generateCohortChunk, type CohortChunk } from '../../../src/lib/engine/cohort';
import type { CohortPlan } from '../../../src/lib/engine/cohort';
import { cohortSpec } from '../../../src/lib/spec/cohort-schema';
import { normalCdf } from '../../../src/lib/engine/rng/normal';

/**
 * Generated covariates against their specified distributions on 100,000 twins.
 * Every tolerance is 4 standard errors, so each check fails for a real error of that
 * size and passes by chance with probability > 0.9999. Closed-form moments are worked
 * out in comments; values printed by R are quoted with the R call.
 */

const N = 100_000;
const Z4 = 4;

const spec = cohortSpec.parse({
  name: 'distribution check',
  seed: 424242,
  covariates: [
    { name: 'sex', type: 'categorical', levels: { F: 0.6, M: 0.4 } },
    {
      name: 'grp',
      type: 'categorical',
      by: 'sex',
      levels: { F: { a: 0.2, b: 0.3, c: 0.5 }, M: { a: 0.6, b: 0.3, c: 0.1 } }
    },
    { name: 'flag', type: 'binary', by: 'sex', p: { F: 0.1, M: 0.3 } },
    { name: 'xn', type: 'continuous', distribution: { kind: 'normal', mean: 10, sd: 2 } },
    {
      name: 'height',
      type: 'continuous',
      by: 'sex',
      distribution: {
        F: { kind: 'normal', mean: 160, sd: 7 },
        M: { kind: 'normal', mean: 175, sd: 8 }
      }
    },
    { name: 'xl', type: 'continuous', distribution: { kind: 'lognormal', median: 50, cv: 0.3 } },
    { name: 'xl2', type: 'continuous', distribution: { kind: 'lognormal', meanlog: 1, sdlog: 0.5 } },
    {
      name: 'xt',
      type: 'continuous',
      distribution: { kind: 'truncnormal', mean: 100, sd: 20, lower: 90, upper: 150 }
    },
    {
      name: 'xtail',
      type: 'continuous',
      description: 'truncated far in the upper tail: [mean + 3 sd, ∞)',
      distribution: { kind: 'truncnormal', mean: 0, sd: 1, lower: 3 }
    },
    { name: 'xu', type: 'continuous', distribution: { kind: 'uniform', min: 2, max: 5 } },
    {
      name: 'xe',
      type: 'continuous',
      distribution: {
        kind: 'empirical',
        quantiles: [
          [0, 0],
          [0.5, 10],
          [0.9, 20],
          [1, 100]
        ]
      }
    },
    { name: 'xr', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 1 }, decimals: 2 },
    { name: 'band', type: 'band', of: 'xn', breaks: [8, 12], labels: ['low', 'mid', 'high'] }
  ],
  correlations: [
    {
      variables: ['xn', 'height', 'xl', 'xu'],
      matrix: [
        [1, 0.5, 0.4, 0.3],
        [0.5, 1, 0.3, 0],
        [0.4, 0.3, 1, 0.2],
        [0.3, 0, 0.2, 1]
      ]
    }
  ],
  derived: [{ name: 'twice', expr: '2 * xn + 1' }]
});

let plan: CohortPlan;
let chunk: CohortChunk;
const col = (name: string): Float64Array => {
  const k = plan.columns.findIndex((c) => c.name === name);
  if (k < 0) throw new Error(`no column ${name}`);
  return chunk.columns[k];
};

beforeAll(() => {
  plan = compileCohort(spec);
  chunk = generateCohortChunk(plan, spec.seed, 1, N);
});

// ---- small statistics helpers (plain definitions, no library) ----
function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
function sd(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  idx.forEach((i, k) => (r[i] = k + 1)); // continuous data: no ties
  return r;
}
const spearman = (x: ArrayLike<number>, y: ArrayLike<number>) => pearson(ranks(x), ranks(y));
/** Empirical quantile (type 1: the smallest x with F̂(x) ≥ p). */
function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}
function where(x: Float64Array, mask: (i: number) => boolean): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (mask(i)) out.push(x[i]);
  return Float64Array.from(out);
}
const PROBS = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

/** |F(q̂_p) − p| ≤ 4·sqrt(p(1−p)/n) for each p: the empirical quantiles sit where the CDF says. */
function expectQuantilesMatch(x: Float64Array, cdf: (v: number) => number, label: string) {
  const sorted = Float64Array.from(x).sort();
  for (const p of PROBS) {
    const q = quantile(sorted, p);
    const tol = Z4 * Math.sqrt((p * (1 - p)) / x.length);
    expect(Math.abs(cdf(q) - p), `${label}: F(q̂_${p}) = ${cdf(q)}`).toBeLessThan(tol);
  }
}
function expectMean(x: Float64Array, mu: number, sigma: number, label: string) {
  expect(Math.abs(mean(x) - mu), `${label} mean ${mean(x)} vs ${mu}`).toBeLessThan(
    (Z4 * sigma) / Math.sqrt(x.length)
  );
}
/** SD of a normal sample: SE(s) ≈ σ / sqrt(2n). */
function expectNormalSd(x: Float64Array, sigma: number, label: string) {
  expect(Math.abs(sd(x) - sigma), `${label} sd ${sd(x)} vs ${sigma}`).toBeLessThan(
    (Z4 * sigma) / Math.sqrt(2 * x.length)
  );
}
function expectProportion(count: number, n: number, p: number, label: string) {
  expect(Math.abs(count / n - p), `${label}: ${count / n} vs ${p}`).toBeLessThan(
    Z4 * Math.sqrt((p * (1 - p)) / n)
  );
}
/** Pearson r of bivariate normal data: SE ≈ (1 − ρ²)/sqrt(n). */
function expectPearson(x: Float64Array, y: Float64Array, rho: number, label: string) {
  const r = pearson(x, y);
  expect(Math.abs(r - rho), `${label}: r = ${r} vs ${rho}`).toBeLessThan(
    (Z4 * (1 - rho * rho)) / Math.sqrt(x.length)
  );
}
/**
 * Spearman's ρ_s under a Gaussian copula with correlation ρ is (6/π)·asin(ρ/2)
 * (Pearson K, 1907; Kruskal 1958). SE of ρ_s is below 1.1/sqrt(n) for |ρ_s| ≤ 0.5.
 */
function expectSpearman(x: Float64Array, y: Float64Array, rho: number, label: string) {
  const rs = spearman(x, y);
  const want = (6 / Math.PI) * Math.asin(rho / 2);
  expect(Math.abs(rs - want), `${label}: rs = ${rs} vs ${want}`).toBeLessThan(
    (Z4 * 1.1) / Math.sqrt(x.length)
  );
}

describe(`cohort distributions on ${N.toLocaleString('en')} twins`, () => {
  it('generates N twins without screening losses', () => {
    expect(chunk.count).toBe(N);
    expect(chunk.screened).toBe(N);
    expect(chunk.columns).toHaveLength(plan.columns.length);
  });

  it('normal: mean, SD and quantiles', () => {
    const x = col('xn');
    expectMean(x, 10, 2, 'xn');
    expectNormalSd(x, 2, 'xn');
    expectQuantilesMatch(x, (v) => normalCdf((v - 10) / 2), 'xn');
  });

  it('conditional normal: per-level mean, SD and quantiles', () => {
    const sex = col('sex');
    const h = col('height');
    const f = where(h, (i) => sex[i] === 0);
    const m = where(h, (i) => sex[i] === 1);
    expectMean(f, 160, 7, 'height|F');
    expectNormalSd(f, 7, 'height|F');
    expectQuantilesMatch(f, (v) => normalCdf((v - 160) / 7), 'height|F');
    expectMean(m, 175, 8, 'height|M');
    expectNormalSd(m, 8, 'height|M');
    expectQuantilesMatch(m, (v) => normalCdf((v - 175) / 8), 'height|M');
  });

  it('lognormal median/cv: median, mean = median·sqrt(1+cv²), SD of log = sqrt(log(1+cv²))', () => {
    const x = col('xl');
    const s = Math.sqrt(Math.log(1 + 0.3 ** 2)); // 0.29356…
    const logx = x.map(Math.log);
    expectMean(logx, Math.log(50), s, 'log xl');
    expectNormalSd(logx, s, 'log xl');
    // mean = 50·sqrt(1.09) = 52.2015…; SD = mean·cv
    const mu = 50 * Math.sqrt(1.09);
    expectMean(x, mu, mu * 0.3, 'xl');
    expectQuantilesMatch(x, (v) => normalCdf((Math.log(v) - Math.log(50)) / s), 'xl');
  });

  it('lognormal meanlog/sdlog', () => {
    const x = col('xl2');
    const logx = x.map(Math.log);
    expectMean(logx, 1, 0.5, 'log xl2');
    expectNormalSd(logx, 0.5, 'log xl2');
    expectQuantilesMatch(x, (v) => normalCdf((Math.log(v) - 1) / 0.5), 'xl2');
  });

  it('truncated normal: bounds never crossed, mean and SD from R, quantiles', () => {
    const x = col('xt');
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(90);
    expect(hi).toBeLessThanOrEqual(150);
    expect(lo).toBeLessThan(90.1); // the mass piles up near the lower bound
    // R: mu<-100; s<-20; Z<-pnorm(2.5)-pnorm(-0.5)
    //    integrate(function(x) x*dnorm(x,mu,s)/Z, 90, 150) → 109.763901096027112
    //    and the SD → 13.279007512718922
    expectMean(x, 109.763901096027112, 13.279007512718922, 'xt');
    // SE(s) ≈ σ·sqrt((κ − 1)/(4n)) ≤ σ·sqrt(2/(4n)) = 0.0297, as this kurtosis κ is below 3
    expect(Math.abs(sd(x) - 13.279007512718922)).toBeLessThan(4 * 0.0297);
    const z = (v: number) => normalCdf((v - 100) / 20);
    const za = z(90);
    const zb = z(150);
    expectQuantilesMatch(x, (v) => (z(v) - za) / (zb - za), 'xt');
  });

  it('truncated normal deep in the tail: [3, ∞) never crossed, quantiles', () => {
    const x = col('xtail');
    expect(x.filter((v) => !(v >= 3)).length).toBe(0);
    const tail = 1 - normalCdf(3); // R: pnorm(3, lower.tail=FALSE) = 0.0013498980316300946
    expect(tail).toBeCloseTo(0.0013498980316300946, 15);
    // mean of N(0,1) given X ≥ 3 = φ(3)/(1−Φ(3)) = 3.2831939…
    const phi3 = Math.exp(-4.5) / Math.sqrt(2 * Math.PI);
    expect(Math.abs(mean(x) - phi3 / tail)).toBeLessThan(0.01);
    expectQuantilesMatch(x, (v) => (normalCdf(-3) - normalCdf(-v)) / normalCdf(-3), 'xtail');
  });

  it('uniform: bounds, mean (a+b)/2, SD (b−a)/sqrt(12), quantiles', () => {
    const x = col('xu');
    expect(x.filter((v) => !(v >= 2 && v <= 5)).length).toBe(0);
    expectMean(x, 3.5, 3 / Math.sqrt(12), 'xu');
    // SD of a uniform sample: SE(s²) = sqrt((μ4 − σ⁴)/n) with μ4 = 9σ⁴/5 ⇒ SE(s) ≈ σ·sqrt(0.8/(4n))
    expect(Math.abs(sd(x) - 3 / Math.sqrt(12))).toBeLessThan(Z4 * (3 / Math.sqrt(12)) * Math.sqrt(0.2 / N));
    expectQuantilesMatch(x, (v) => (v - 2) / 3, 'xu');
  });

  it('empirical quantile table: piecewise-linear quantiles, mean 14.5', () => {
    const x = col('xe');
    // F is piecewise linear through (0,0), (10,0.5), (20,0.9), (100,1)
    const cdf = (v: number) =>
      v <= 0 ? 0 : v <= 10 ? v / 20 : v <= 20 ? 0.5 + (v - 10) * 0.04 : v <= 100 ? 0.9 + (v - 20) / 800 : 1;
    expectQuantilesMatch(x, cdf, 'xe');
    // mean = Σ Δp·(x_k + x_{k+1})/2 = 0.5·5 + 0.4·15 + 0.1·60 = 14.5
    // E[X²] = Σ Δp·(a² + ab + b²)/3 = 0.5·100/3 + 0.4·700/3 + 0.1·12400/3 = 523.33…, SD = sqrt(523.33 − 210.25)
    const sigma = Math.sqrt(0.5 * (100 / 3) + 0.4 * (700 / 3) + 0.1 * (12400 / 3) - 14.5 ** 2);
    expectMean(x, 14.5, sigma, 'xe');
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(100);
  });

  it('decimals round values to that many places', () => {
    const x = col('xr');
    let nonInteger = 0;
    let offGrid = 0;
    for (const v of x) {
      if (!(Math.abs(v * 100 - Math.round(v * 100)) < 1e-9)) offGrid++;
      if (v !== Math.round(v)) nonInteger++;
    }
    expect(offGrid).toBe(0);
    expect(nonInteger).toBeGreaterThan(N * 0.9);
    expectNormalSd(x, Math.sqrt(1 + 0.01 ** 2 / 12), 'xr'); // rounding adds h²/12 (Sheppard)
  });

  it('categorical proportions, overall and conditional on another categorical', () => {
    const sex = col('sex');
    const grp = col('grp');
    let f = 0;
    for (const v of sex) if (v === 0) f++;
    expectProportion(f, N, 0.6, 'sex F');
    const table = { 0: [0.2, 0.3, 0.5], 1: [0.6, 0.3, 0.1] } as Record<number, number[]>;
    for (const s of [0, 1]) {
      const g = where(grp, (i) => sex[i] === s);
      for (let level = 0; level < 3; level++) {
        const count = g.filter((v) => v === level).length;
        expectProportion(count, g.length, table[s][level], `grp=${level} | sex=${s}`);
      }
    }
    expect(plan.columns.find((c) => c.name === 'grp')?.levels).toEqual(['a', 'b', 'c']);
  });

  it('binary conditional on a categorical', () => {
    const sex = col('sex');
    const flag = col('flag');
    for (const [s, p] of [
      [0, 0.1],
      [1, 0.3]
    ]) {
      const g = where(flag, (i) => sex[i] === s);
      expect(g.every((v) => v === 0 || v === 1)).toBe(true);
      expectProportion(
        g.reduce((a, b) => a + b, 0),
        g.length,
        p,
        `flag | sex=${s}`
      );
    }
  });

  it('band cuts its covariate at the breaks: P = Φ(−1), Φ(1)−Φ(−1), 1−Φ(1)', () => {
    const xn = col('xn');
    const band = col('band');
    const counts = [0, 0, 0];
    let wrong = 0;
    for (let i = 0; i < N; i++) {
      const want = xn[i] < 8 ? 0 : xn[i] < 12 ? 1 : 2;
      if (band[i] !== want) wrong++;
      counts[band[i]]++;
    }
    expect(wrong).toBe(0);
    // R: pnorm(-1) = 0.15865525393145705; pnorm(1) - pnorm(-1) = 0.68268949213708585
    expectProportion(counts[0], N, 0.15865525393145705, 'band low');
    expectProportion(counts[1], N, 0.68268949213708585, 'band mid');
    expectProportion(counts[2], N, 0.15865525393145705, 'band high');
  });

  it('Gaussian copula: Pearson r for normal marginals (within each level for the conditional one)', () => {
    const sex = col('sex');
    const xn = col('xn');
    const h = col('height');
    for (const s of [0, 1]) {
      const mask = (i: number) => sex[i] === s;
      expectPearson(where(xn, mask), where(h, mask), 0.5, `r(xn, height) | sex=${s}`);
    }
  });

  it('Gaussian copula: Spearman ρ_s = (6/π)·asin(ρ/2) for non-normal marginals', () => {
    const xn = col('xn');
    // R: 6/pi*asin(c(0.4, 0.3, 0.2)/2)
    expectSpearman(xn, col('xl'), 0.4, 'rs(xn, xl)');
    expectSpearman(xn, col('xu'), 0.3, 'rs(xn, xu)');
    expectSpearman(col('xl'), col('xu'), 0.2, 'rs(xl, xu)');
    expectSpearman(col('height'), col('xu'), 0, 'rs(height, xu)');
  });

  it('uncorrelated covariates are independent', () => {
    expectPearson(col('xn'), col('xr'), 0, 'r(xn, xr)');
    expectSpearman(col('xn'), col('xe'), 0, 'rs(xn, xe)');
    expectSpearman(col('xl2'), col('xt'), 0, 'rs(xl2, xt)');
  });

  it('derived expressions are computed from the twin’s own values', () => {
    const xn = col('xn');
    const t = col('twice');
    let wrong = 0;
    for (let i = 0; i < N; i++) if (t[i] !== 2 * xn[i] + 1) wrong++;
    expect(wrong).toBe(0);
  });
});

describe('screening', () => {
  it('criteria keep only twins that meet them, and the funnel adds up', () => {
    const s = cohortSpec.parse({
      name: 'screen',
      seed: 5,
      covariates: [
        { name: 'sex', type: 'categorical', levels: { F: 0.5, M: 0.5 } },
        { name: 'x', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 1 } }
      ],
      criteria: ['x > 1', { name: 'women', expr: "sex == 'F'" }]
    });
    const p = compileCohort(s);
    const n = 20_000;
    const c = generateCohortChunk(p, s.seed, 1, n);
    const x = c.columns[1];
    let wrong = 0;
    for (let i = 0; i < n; i++) if (!(x[i] > 1) || c.columns[0][i] !== 0) wrong++;
    expect(wrong).toBe(0);
    // x | x > 1 is N(0,1) truncated at 1: F(v) = (Φ(v) − Φ(1)) / (1 − Φ(1))
    expectQuantilesMatch(x, (v) => (normalCdf(v) - normalCdf(1)) / normalCdf(-1), 'x | x>1');
    // acceptance = (1 − Φ(1)) · 0.5 = 0.0793; screened ≈ n / acceptance
    const rate = n / c.screened;
    const acc = normalCdf(-1) * 0.5;
    expect(Math.abs(rate - acc)).toBeLessThan(Z4 * Math.sqrt((acc * (1 - acc)) / c.screened));
    expect(c.screened - n).toBe(c.failedFirst[0] + c.failedFirst[1]);
    expect(c.failedFirst[0]).toBe(c.failedAny[0]);
    expect(c.failedAny[1]).toBeGreaterThanOrEqual(c.failedFirst[1]);
  });
});
