// Multiple imputation, reference-based imputation and the tipping point, tested by their known
// properties on simulated data whose truth is set here: the draws' distributions (chi-square
// moments, the regression posterior of R mice's .norm.draw), unbiasedness and 95 % coverage of MI
// under MAR where completers are biased, and the conditional means that J2R, CR and CIR imply
// (Carpenter, Roger & Kenward 2013, §4), computed from the true parameters by the normal
// conditional-mean formula, independently of the sequential implementation.
import { describe, expect, it } from 'vitest';
import { RandomStream, purposeHash } from '../../../src/lib/engine/rng';
import { randomChiSquare } from '../../../src/lib/stats/randomChiSquare';
import { leastSquares, type LeastSquaresFit } from '../../../src/lib/stats/leastSquares';
import { drawNormalRegression } from '../../../src/lib/stats/drawNormalRegression';
import { repeatedMeasures } from '../../../src/lib/stats/repeatedMeasures';
import { imputeMar } from '../../../src/lib/stats/imputeMar';
import { imputeReferenceBased, type ReferenceBasedMethod } from '../../../src/lib/stats/imputeReferenceBased';
import { multipleImputation } from '../../../src/lib/stats/multipleImputation';
import { missingDataAnalysis } from '../../../src/lib/stats/missingDataAnalysis';
import { tippingPoint } from '../../../src/lib/stats/tippingPoint';
import type { MmrmInput } from '../../../src/lib/stats/mmrmData';

const stream = (seed: number, id = 0) => new RandomStream().reset(seed, purposeHash('test'), id);

describe('randomChiSquare', () => {
  for (const df of [1, 3, 7.5, 50]) {
    it(`has mean df and variance 2 df for df = ${df}`, () => {
      const rng = stream(11, df * 10);
      const n = 40000;
      let s = 0;
      let s2 = 0;
      let min = Infinity;
      for (let i = 0; i < n; i++) {
        const x = randomChiSquare(rng, df);
        min = Math.min(min, x);
        s += x;
        s2 += x * x;
      }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      expect(min).toBeGreaterThan(0);
      expect(Math.abs(mean - df)).toBeLessThan(4 * Math.sqrt((2 * df) / n));
      expect(Math.abs(variance / (2 * df) - 1)).toBeLessThan(0.06);
    });
  }
});

/** Small dense inverse by Gauss–Jordan (independent of the Cholesky code under test). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let k = 0; k < 2 * n; k++) m[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row) => row.slice(n));
}

describe('drawNormalRegression', () => {
  it("draws (intercept, slopes, sigma) from the posterior of mice's norm method", () => {
    // y = 2 + 0.5 x1 − 1 x2 + N(0, 1), n = 30: posterior β ~ t with E = β̂ and Cov = RSS/(df − 2) (XᵀX)⁻¹
    const rng = stream(5);
    const n = 30;
    const p = 2;
    const x = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i * p] = 3 + rng.normal();
      x[i * p + 1] = i % 3;
      y[i] = 2 + 0.5 * x[i * p] - x[i * p + 1] + rng.normal();
    }
    const fit = leastSquares(x, y, n, p) as LeastSquaresFit;
    const rows = Array.from({ length: n }, (_, i) => [1, x[i * p], x[i * p + 1]]);
    const xtx = [0, 1, 2].map((j) => [0, 1, 2].map((k) => rows.reduce((s, r) => s + r[j] * r[k], 0)));
    const inv = inverse(xtx);
    const draws = 40000;
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    let s2sum = 0;
    const slopes = new Float64Array(p);
    const r = stream(6);
    for (let d = 0; d < draws; d++) {
      const { intercept, sigma } = drawNormalRegression(fit, r, slopes);
      const b = [intercept, slopes[0], slopes[1]];
      for (let j = 0; j < 3; j++) {
        sum[j] += b[j];
        sq[j] += b[j] * b[j];
      }
      s2sum += sigma * sigma;
    }
    const hat = [fit.intercept, fit.coef[0], fit.coef[1]];
    const es2 = fit.rss / (fit.df - 2);
    expect(s2sum / draws / es2).toBeCloseTo(1, 1);
    for (let j = 0; j < 3; j++) {
      const mean = sum[j] / draws;
      const variance = sq[j] / draws - mean * mean;
      const expected = es2 * inv[j][j];
      expect(Math.abs(mean - hat[j])).toBeLessThan(4 * Math.sqrt(expected / draws));
      expect(Math.abs(variance / expected - 1)).toBeLessThan(0.05);
    }
  });
});

interface TrialSpec {
  perArm: number;
  /** mean of visit v in arm a (a = 0 control, 1 active) at baseline 10 */
  mean: (a: number, v: number) => number;
  /** slope of every visit on the baseline */
  slope: number;
  sd: number;
  rho: number;
  /** probability of dropping out after a visit given the value there and the arm; null: no dropout */
  dropout: (value: number, arm: number, visit: number) => number;
  visits: number;
}

interface Trial extends MmrmInput {
  outcome: number[];
  subject: number[];
  visit: number[];
  arm: string[];
  baseline: number[];
}

/** Long-format trial: AR(1) errors, baseline N(10, 1), dropout after a visit (rows for missing visits kept as NaN). */
function simulateTrial(spec: TrialSpec, seed: number): Trial {
  const rng = new RandomStream();
  const purpose = purposeHash('mi-test-trial');
  const out = {
    outcome: [] as number[],
    subject: [] as number[],
    visit: [] as number[],
    arm: [] as string[],
    baseline: [] as number[]
  };
  for (let s = 0; s < 2 * spec.perArm; s++) {
    rng.reset(seed, purpose, s);
    const a = s % 2;
    const b = 10 + rng.normal();
    let e = 0;
    let dropped = false;
    for (let v = 0; v < spec.visits; v++) {
      e = v === 0 ? rng.normal() : spec.rho * e + Math.sqrt(1 - spec.rho * spec.rho) * rng.normal();
      const value = spec.mean(a, v) + spec.slope * (b - 10) + spec.sd * e;
      out.outcome.push(dropped ? NaN : value);
      out.subject.push(s);
      out.visit.push(v + 1);
      out.arm.push(a ? 'active' : 'placebo');
      out.baseline.push(b);
      if (!dropped && v < spec.visits - 1 && rng.uniform() < spec.dropout(value, a, v)) dropped = true;
    }
  }
  return out;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

describe('imputeMar', () => {
  const spec: TrialSpec = {
    perArm: 60,
    visits: 4,
    mean: (a, v) => 10 - 0.4 * v - (a ? 0.5 * v : 0),
    slope: 0.6,
    sd: 1.5,
    rho: 0.6,
    dropout: (y) => logistic(-2.5 + 0.8 * (y - 10))
  };
  const input = simulateTrial(spec, 3);
  // an intermittent gap: subject 4 misses visit 2 but is seen at visit 3
  input.outcome[4 * 4 + 1] = NaN;
  const data = repeatedMeasures(input, { control: 'placebo' });

  it('keeps observed values, fills every missing one, and repeats itself for the same stream key', () => {
    for (const model of ['by-arm', 'arm-covariate'] as const) {
      const { y } = imputeMar(data, stream(9), model);
      for (let i = 0; i < y.length; i++) {
        expect(Number.isFinite(y[i])).toBe(true);
        if (!Number.isNaN(data.y[i])) expect(y[i]).toBe(data.y[i]);
      }
      expect(imputeMar(data, stream(9), model).y).toEqual(y);
      expect(imputeMar(data, stream(10), model).y).not.toEqual(y);
    }
  });

  it('makes imputation i independent of how many are drawn', () => {
    const five = multipleImputation(data, { method: 'j2r', imputations: 5, seed: 4 });
    const two = multipleImputation(data, { method: 'j2r', imputations: 2, seed: 4 });
    expect(two[0]).toEqual(five[0]);
    expect(two[1]).toEqual(five[1]);
    expect(five[2]).not.toEqual(five[1]);
  });

  it('names the visit and arm without observed values', () => {
    const bad = {
      ...input,
      outcome: input.outcome.map((y, i) => (input.visit[i] === 3 && input.arm[i] === 'active' ? NaN : y))
    };
    expect(() => missingDataAnalysis(bad, { control: 'placebo', method: 'mi_mar' })).toThrow(
      'visit "3" has no observed values in arm "active"'
    );
  });

  it('equals the complete-data ANCOVA when nothing is missing', () => {
    const complete = simulateTrial({ ...spec, dropout: () => 0 }, 4);
    const mi = missingDataAnalysis(complete, { control: 'placebo', method: 'mi_mar', imputations: 3 })
      .effects[0];
    const cc = missingDataAnalysis(complete, { control: 'placebo', method: 'completers' }).effects[0];
    expect(mi.estimate).toBeCloseTo(cc.estimate, 12);
    expect(mi.stdErr).toBeCloseTo(cc.stdErr, 12);
    expect(mi.betweenVariance).toBeLessThan(1e-25);
  });

  it('says when a visit has too few observed values for its imputation model', () => {
    // visit 4 observed in only 3 active subjects: the model (intercept, baseline, visits 1-3) needs 6
    let kept = 0;
    const sparse = {
      ...input,
      outcome: input.outcome.map((y, i) =>
        input.visit[i] === 4 && input.arm[i] === 'active' && !Number.isNaN(y) && kept++ >= 3 ? NaN : y
      )
    };
    expect(() => missingDataAnalysis(sparse, { control: 'placebo', method: 'mi_mar' })).toThrow(
      'visit "4" in arm "active" has 3 observed values; its imputation model has 5 coefficients and needs at least 6'
    );
  });

  it('reports bad options clearly', () => {
    const o = { control: 'placebo' };
    expect(() => missingDataAnalysis(input, { ...o, method: 'mi_foo' as 'mi_mar' })).toThrow(
      /method "mi_foo" is not one of mi_mar/
    );
    expect(() => missingDataAnalysis(input, { ...o, method: 'mi_mar', imputations: 1 })).toThrow(
      /imputations must be an integer from 2/
    );
    expect(() => missingDataAnalysis(input, { ...o, method: 'mi_mar', at: '9' })).toThrow(
      'at "9" is not a visit level; levels are 1, 2, 3, 4'
    );
    expect(() => missingDataAnalysis(input, { ...o, method: 'mi_j2r', reference: 'x' })).toThrow(
      'reference "x" is not an arm level'
    );
    expect(() => missingDataAnalysis({ ...input, baseline: undefined }, { ...o, method: 'bocf' })).toThrow(
      'BOCF needs a baseline'
    );
  });
});

describe('multiple imputation under MAR (simulation, truth known)', () => {
  // Dropout depends on the last observed value (MAR), and more placebo subjects drop out (their
  // values are higher): completers are biased, MI is not.
  const truth = -2;
  const spec: TrialSpec = {
    perArm: 100,
    visits: 3,
    mean: (a, v) => 10 - 0.3 * v + (a ? (truth * v) / 2 : 0),
    slope: 0.7,
    sd: 2,
    rho: 0.7,
    dropout: (y) => logistic(-2 + 1.2 * (y - 10))
  };
  it('is unbiased with about 95 % coverage where completers are biased', () => {
    const reps = 300;
    const mi: number[] = [];
    const comp: number[] = [];
    let covered = 0;
    let missing = 0;
    for (let r = 0; r < reps; r++) {
      const input = simulateTrial(spec, 1000 + r);
      const res = missingDataAnalysis(input, {
        control: 'placebo',
        method: 'mi_mar',
        imputations: 10,
        seed: r
      });
      const e = res.effects[0];
      mi.push(e.estimate);
      if (e.ciLow <= truth && truth <= e.ciHigh) covered++;
      expect(e.fmi).toBeGreaterThan(0);
      missing += res.counts.reduce((s, c) => s + c.subjects - c.observed, 0) / 200;
      comp.push(missingDataAnalysis(input, { control: 'placebo', method: 'completers' }).effects[0].estimate);
    }
    const meanSd = (x: number[]) => {
      const m = x.reduce((s, v) => s + v, 0) / x.length;
      return [m, Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1))];
    };
    const [miMean, miSd] = meanSd(mi);
    const [compMean, compSd] = meanSd(comp);
    expect(missing / reps).toBeGreaterThan(0.2);
    expect(Math.abs(miMean - truth)).toBeLessThan(3.5 * (miSd / Math.sqrt(reps)));
    expect(Math.abs(compMean - truth)).toBeGreaterThan(4 * (compSd / Math.sqrt(reps)));
    if (process.env.MI_REPORT)
      console.log({ miMean, miSd, compMean, compSd, coverage: covered / reps, missing: missing / reps });
    expect(covered / reps).toBeGreaterThan(0.91);
    expect(covered / reps).toBeLessThan(0.99);
  });
});

describe('reference-based imputation', () => {
  // Three visits, a large trial, and active subjects who drop out after visit 1 at random (40 %):
  // their imputed visit-3 values must average the conditional mean each method implies under the
  // true parameters, E[y3 | y1, b] = μ̃3(b) + (Σ31/Σ11)(y1 − μ̃1(b)), the reference's Σ.
  const rho = 0.6;
  const sd = 1.5;
  const slope = 0.8;
  const mean = (a: number, v: number) => (a ? [9, 7, 5][v] : [10, 9.5, 9][v]);
  const spec: TrialSpec = {
    perArm: 6000,
    visits: 3,
    mean,
    slope,
    sd,
    rho,
    dropout: (_y, a, v) => (a === 1 && v === 0 ? 0.4 : 0)
  };
  const input = simulateTrial(spec, 77);
  const data = repeatedMeasures(input, { control: 'placebo' });
  const V = 3;
  const dropouts: number[] = [];
  for (let s = 0; s < data.nSubjects; s++)
    if (data.arm[s] === 1 && Number.isNaN(data.y[s * V + 1])) dropouts.push(s);
  // AR(1) errors: Cov(y3, y1)/Var(y1) = ρ²
  const beta = rho * rho;
  const expected = (method: ReferenceBasedMethod | 'mar') => {
    let sum = 0;
    for (const s of dropouts) {
      const db = slope * ((data.baseline as Float64Array)[s] - 10);
      const own = (v: number) => mean(1, v) + db;
      const ref = (v: number) => mean(0, v) + db;
      const mu1 = method === 'cr' ? ref(0) : own(0);
      const mu3 = { mar: own(2), j2r: ref(2), cr: ref(2), cir: own(0) + ref(2) - ref(0) }[method];
      sum += mu3 + beta * (data.y[s * V] - mu1);
    }
    return sum / dropouts.length;
  };
  const imputedMean = (y: Float64Array) => dropouts.reduce((s, i) => s + y[i * V + 2], 0) / dropouts.length;

  for (const method of ['j2r', 'cr', 'cir'] as const) {
    it(`${method}: imputed values after dropout have the method's conditional mean`, () => {
      expect(dropouts.length).toBeGreaterThan(2000);
      const y = imputeReferenceBased(data, stream(21), method);
      // MC error: conditional SD ≈ 1.2 / √2400 plus the parameters' posterior spread, ≈ 0.04
      expect(Math.abs(imputedMean(y) - expected(method))).toBeLessThan(0.12);
      // and the methods differ here by more than that
      expect(Math.abs(imputedMean(y) - expected('mar'))).toBeGreaterThan(0.5);
    });
  }

  it('mar: the same check gives the own-arm conditional mean, per arm or with the arm as covariate', () => {
    // the arms share Σ and the baseline slope here, so both models are right
    for (const model of ['by-arm', 'arm-covariate'] as const) {
      const { y } = imputeMar(data, stream(21), model);
      expect(Math.abs(imputedMean(y) - expected('mar'))).toBeLessThan(0.12);
    }
  });

  it("leaves the reference arm's imputations as MAR drew them", () => {
    const small = repeatedMeasures(
      simulateTrial({ ...spec, perArm: 80, dropout: (y) => logistic(-2 + (y - 9)) }, 5),
      {
        control: 'placebo'
      }
    );
    const mar = imputeMar(small, stream(3)).y;
    const j2r = imputeReferenceBased(small, stream(3), 'j2r');
    let changed = 0;
    for (let s = 0; s < small.nSubjects; s++) {
      for (let v = 0; v < V; v++) {
        const i = s * V + v;
        if (small.arm[s] === 0) expect(j2r[i]).toBe(mar[i]);
        else if (j2r[i] !== mar[i]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });
});

describe('tippingPoint', () => {
  const spec: TrialSpec = {
    perArm: 80,
    visits: 3,
    mean: (a, v) => 10 - (a ? 1.2 * v : 0),
    slope: 0.6,
    sd: 1.5,
    rho: 0.6,
    dropout: (y) => logistic(-2 + 0.8 * (y - 10))
  };
  const input = simulateTrial(spec, 8);
  const o = { control: 'placebo', imputations: 10, seed: 2 };

  it('starts from the MI result, shifts the estimate linearly and stops where p reaches alpha', () => {
    const mi = missingDataAnalysis(input, { ...o, method: 'mi_mar' }).effects[0];
    const tp = tippingPoint(input, o);
    expect(tp.grid[0].delta).toBe(0);
    expect(tp.grid[0].estimate).toBeCloseTo(mi.estimate, 12);
    expect(tp.grid[0].pValue).toBeCloseTo(mi.pValue, 12);
    expect(mi.pValue).toBeLessThan(0.05);
    expect(tp.grid).toHaveLength(21);
    const last = tp.grid[tp.grid.length - 1];
    expect(Math.abs(last.estimate)).toBeLessThan(1e-9);
    const slope = (tp.grid[1].estimate - tp.grid[0].estimate) / tp.grid[1].delta;
    for (const r of tp.grid) expect(r.estimate).toBeCloseTo(mi.estimate + slope * r.delta, 9);
    const k = tp.grid.findIndex((r) => r.pValue >= 0.05);
    expect(k).toBeGreaterThan(0);
    expect(tp.tippingDelta).toBe(tp.grid[k].delta);
    expect(tp.grid.slice(0, k).every((r) => r.significant)).toBe(true);
  });

  it('takes a grid, and says when nothing can be shifted', () => {
    const tp = tippingPoint(input, { ...o, deltas: [0, 0.1] });
    expect(tp.grid.map((r) => r.delta)).toEqual([0, 0.1]);
    expect(tp.tippingDelta).toBeNull();
    const complete = { ...input, outcome: input.outcome.map((y) => (Number.isNaN(y) ? 1 : y)) };
    expect(() => tippingPoint(complete, o)).toThrow('arm "active" has no missing values at visit "3"');
  });
});
