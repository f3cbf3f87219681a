// Kaplan–Meier, median survival, log-rank and Cox vs R survival (tests/golden/stats/kaplan-meier.json,
// logrank.json, cox.json). Cox fixtures were produced with coxph.control(eps = 1e-12) so that R's
// stopping rule (relative log-likelihood change) does not limit the comparison; Newton–Raphson is
// iterated to convergence here, so 1e-6 relative holds for coefficients, SEs and all three tests.
import { describe, expect, it } from 'vitest';
import { StatsInputError, coxPh, kaplanMeier, logRankTest, medianSurvival } from '../../../src/lib/stats';
import { expectAllClose, expectClose, loadGolden } from './golden';

const km = loadGolden('kaplan-meier');
const lr = loadGolden('logrank');
const cox = loadGolden('cox');
const REL = 1e-6;

// jsonlite writes a length-1 vector as a scalar
const arr = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe('kaplanMeier vs survfit', () => {
  it('curve, Greenwood SE and log CI at every distinct time', () => {
    for (const c of km.cases) {
      const r = kaplanMeier(c.time_in, c.status);
      expectAllClose(r.time, c.time, 0, 0, 'time');
      expect(r.nRisk).toEqual(c.nRisk);
      expect(r.nEvent).toEqual(c.nEvent);
      expect(r.nCensor).toEqual(c.nCensor);
      expectAllClose(r.surv, c.surv, REL, 1e-15, 'surv');
      // survfit reports Inf for the SE after the curve reaches 0; jsonlite writes it as null
      expectAllClose(r.stdErr, c.stdErr, REL, 1e-15, 'std.err');
      expectAllClose(r.lower, c.lower, REL, 1e-15, 'lower');
      expectAllClose(r.upper, c.upper, REL, 1e-15, 'upper');
    }
  });
  it('median and 0.95LCL/UCL as print.survfit, null when not reached', () => {
    for (const c of km.cases) {
      const m = medianSurvival(kaplanMeier(c.time_in, c.status));
      expectClose(m.median, c.median, REL, 0, 'median');
      expectClose(m.ciLower, c.medianLower, REL, 0, 'LCL');
      expectClose(m.ciUpper, c.medianUpper, REL, 0, 'UCL');
    }
  });
  it('rejects bad status codes and non-finite times', () => {
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(/status\[1\]/);
    expect(() => kaplanMeier([1, Infinity], [1, 0])).toThrow(/time\[1\]/);
    expect(() => kaplanMeier([], [])).toThrow(StatsInputError);
  });
});

describe('logRankTest vs survdiff', () => {
  it('chi-square, df, p, observed and expected (2 and 3 groups, ties)', () => {
    for (const c of lr.cases) {
      const r = logRankTest(c.time, c.status, c.group);
      expectClose(r.statistic, c.statistic, REL, 0, 'chisq');
      expect(r.df).toBe(c.df);
      expectClose(r.pValue, c.pValue, REL, 0, 'p');
      expectAllClose(
        r.groups.map((x) => x.observed),
        c.observed,
        0,
        0,
        'observed'
      );
      expectAllClose(
        r.groups.map((x) => x.expected),
        c.expected,
        REL,
        0,
        'expected'
      );
      expect(r.groups.map((x) => x.n)).toEqual(c.n);
    }
  });
  it('throws with one group or no events', () => {
    expect(() => logRankTest([1, 2, 3], [1, 0, 1], [0, 0, 0])).toThrow(/at least 2 groups/);
    expect(() => logRankTest([1, 2, 3, 4], [0, 0, 0, 0], [0, 1, 0, 1])).toThrow(/no events/);
  });
});

describe('coxPh vs coxph', () => {
  it('coefficients, HR, SE, CI, Wald p and the LR / Wald / score tests (Efron and Breslow)', () => {
    for (const c of cox.cases) {
      const r = coxPh(
        { time: c.time, status: c.status, covariates: c.covariates, names: arr(c.names) },
        { ties: c.ties }
      );
      const co = r.coefficients;
      expectAllClose(
        co.map((x) => x.coef),
        arr(c.coef),
        REL,
        1e-12,
        `${c.ties} coef`
      );
      expectAllClose(
        co.map((x) => x.stdErr),
        arr(c.se),
        REL,
        0,
        'se'
      );
      expectAllClose(
        co.map((x) => x.hazardRatio),
        arr(c.hr),
        REL,
        0,
        'hr'
      );
      expectAllClose(
        co.map((x) => x.pValue),
        arr(c.pValue),
        REL,
        0,
        'p'
      );
      expectAllClose(
        co.map((x) => x.hrLower),
        arr(c.hrLower),
        REL,
        0,
        'hr lower'
      );
      expectAllClose(
        co.map((x) => x.hrUpper),
        arr(c.hrUpper),
        REL,
        0,
        'hr upper'
      );
      expectClose(r.logLikNull, c.logLik[0], 1e-10, 0, 'loglik(0)');
      expectClose(r.logLik, c.logLik[1], 1e-10, 0, 'loglik');
      expectClose(r.likelihoodRatioTest.statistic, c.lr, REL, 1e-12, 'LR');
      expectClose(r.likelihoodRatioTest.pValue, c.lrP, REL, 0, 'LR p');
      expectClose(r.waldTest.statistic, c.wald, REL, 1e-12, 'Wald');
      expectClose(r.waldTest.pValue, c.waldP, REL, 0, 'Wald p');
      expectClose(r.scoreTest.statistic, c.score, REL, 1e-12, 'score');
      expectClose(r.scoreTest.pValue, c.scoreP, REL, 0, 'score p');
    }
  });
  it('throws when the hazard ratio is infinite (no events in one group)', () => {
    const time = [1, 2, 3, 4, 5, 6, 7, 8];
    const status = [1, 1, 1, 1, 0, 0, 0, 0];
    const x = [1, 1, 1, 1, 0, 0, 0, 0];
    expect(() => coxPh({ time, status, covariates: [x] })).toThrow(/no finite maximum/);
    expect(() => coxPh({ time, status, covariates: [[1, 1, 1, 1, 1, 1, 1, 1]] })).toThrow(/singular/);
  });
});
