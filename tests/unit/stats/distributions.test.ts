// Distribution functions vs R pt/qt/pchisq/pf and noncentral pt (tests/golden/stats/distributions.json).
import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSurvival,
  fSurvival,
  noncentralTCdf,
  studentTCdf,
  studentTQuantile,
  studentTSurvival
} from '../../../src/lib/stats';
import { expectClose, loadGolden } from './golden';

const g = loadGolden('distributions');

describe('distributions vs R', () => {
  it('Student t cdf and upper tail (pt), including far tails', () => {
    for (const c of g.pt) {
      expectClose(studentTCdf(c.t, c.df), c.lower, 1e-10, 0, `pt(${c.t}, ${c.df})`);
      expectClose(studentTSurvival(c.t, c.df), c.upper, 1e-10, 0, `pt(${c.t}, ${c.df}, lower = FALSE)`);
    }
  });
  it('Student t quantile (qt), fractional df', () => {
    for (const c of g.qt) expectClose(studentTQuantile(c.p, c.df), c.q, 1e-10, 0, `qt(${c.p}, ${c.df})`);
  });
  it('chi-square (pchisq) both tails', () => {
    for (const c of g.pchisq) {
      expectClose(chiSquareCdf(c.x, c.df), c.lower, 1e-10, 0, `pchisq(${c.x}, ${c.df})`);
      expectClose(chiSquareSurvival(c.x, c.df), c.upper, 1e-10, 0, `pchisq upper (${c.x}, ${c.df})`);
    }
  });
  it('F upper tail (pf)', () => {
    for (const c of g.pf) expectClose(fSurvival(c.f, c.df1, c.df2), c.upper, 1e-10, 0, `pf(${c.f})`);
  });
  it('noncentral t (pt with ncp)', () => {
    for (const c of g.pnt) {
      expectClose(noncentralTCdf(c.t, c.df, c.ncp), c.lower, 1e-9, 1e-15, `pt(${c.t}, ${c.df}, ${c.ncp})`);
      expectClose(
        noncentralTCdf(c.t, c.df, c.ncp, false),
        c.upper,
        1e-9,
        1e-15,
        `upper pt(${c.t}, ${c.df}, ${c.ncp})`
      );
    }
  });
  it('is monotone and symmetric where theory says so', () => {
    expect(studentTCdf(1.5, 4) + studentTCdf(-1.5, 4)).toBeCloseTo(1, 15);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-studentTQuantile(0.975, 9), 13);
  });
});
