// minimize (BFGS with restarts, Nelder–Mead fallback) vs R's optim and closed forms
// (tests/golden/optimize/optimize.json from optimize-golden.R: optim(method = "BFGS",
// control = list(reltol = 1e-14)) and optim(method = "L-BFGS-B", factr = 1, pgtol = 0), all with
// exact gradients; stationaryPar is optim's answer polished by Newton steps with the exact Hessian).
import { describe, expect, it } from 'vitest';
import { StatsInputError, minimize } from '../../../src/lib/stats';
import { expectAllClose, expectClose, loadGolden } from './golden';
import { fromR, pkMapObjective, rosenbrock, rosenbrockGradient } from './optimize-problems';

const g = loadGolden('optimize', 'optimize');
// the gradient test alone decides: no stop on a small change of f
const tight = { gradientTolerance: 1e-9, relativeTolerance: 0 };

describe('minimize vs optim(method = "BFGS")', () => {
  it('Rosenbrock 2-D from (-1.2, 1) reaches (1, 1), with finite differences and with the gradient', () => {
    const x0 = fromR(g.rosenbrock2.x0);
    for (const gradient of [undefined, rosenbrockGradient]) {
      const r = minimize(rosenbrock, x0, { gradient });
      expect(r.converged, r.message).toBe(true);
      expect(r.method).toBe('bfgs');
      expectAllClose([...r.x], g.rosenbrock2.par, 0, 1e-6, 'x');
      expect(r.value).toBeLessThan(1e-12);
    }
    const exact = minimize(rosenbrock, x0, { ...tight, gradient: rosenbrockGradient });
    expectAllClose([...exact.x], g.rosenbrock2.par, 0, 1e-9, 'x (tight)');
    expect(x0[0]).toBe(-1.2); // x0 is not modified
  });

  it('chained Rosenbrock 4-D from (-1.2, 1, 1, 1) reaches the local minimum R reaches', () => {
    const r4 = g.rosenbrock4;
    for (const gradient of [undefined, rosenbrockGradient]) {
      const r = minimize(rosenbrock, fromR(r4.x0), { ...tight, gradient });
      expect(r.converged, r.message).toBe(true);
      expect(r.method).toBe('bfgs');
      expectAllClose([...r.x], r4.stationaryPar, 0, 1e-7, 'x vs stationary point');
      // optim itself stops 1.1e-6 short of the stationary point along the valley
      expectAllClose([...r.x], r4.par, 0, 2e-6, 'x vs optim');
      expectClose(r.value, r4.value, 1e-12, 0, 'value');
    }
  });

  it('the default tolerances reach 4-D Rosenbrock within the default budget', () => {
    const r = minimize(rosenbrock, fromR(g.rosenbrock4.x0));
    expect(r.converged, r.message).toBe(true);
    expect(r.evaluations).toBeLessThan(2000);
    expectAllClose([...r.x], g.rosenbrock4.stationaryPar, 0, 1e-5, 'x');
  });

  it('MAP of a one-compartment oral PK model (three etas, correlated prior)', () => {
    const f = pkMapObjective(g.pkMap.problem);
    expectClose(f(new Float64Array(3)), g.pkMap.valueAtZero, 1e-12, 0, 'objective restated');
    const r = minimize(f, fromR(g.pkMap.x0), tight);
    expect(r.converged, r.message).toBe(true);
    expect(r.method).toBe('bfgs');
    expectAllClose([...r.x], g.pkMap.par, 0, 1e-6, 'eta');
    expectAllClose([...r.x], g.pkMap.stationaryPar, 0, 1e-8, 'eta vs stationary point');
    expectClose(r.value, g.pkMap.value, 0, 1e-10, 'value');
    // default options: MAP agrees to 1e-4 relative, as the calibration needs
    const d = minimize(f, fromR(g.pkMap.x0));
    expect(d.converged, d.message).toBe(true);
    expectAllClose([...d.x], g.pkMap.par, 1e-4, 0, 'eta (defaults)');
  });

  it('a quadratic with known minimum: ½(x − c)ᵀA(x − c) + 3', () => {
    const A = [4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 2];
    const c = [1.5, -2, 0.25];
    const f = (x: Float64Array): number => {
      let v = 3;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) v += 0.5 * (x[i] - c[i]) * A[i * 3 + j] * (x[j] - c[j]);
      return v;
    };
    const r = minimize(f, new Float64Array([10, 10, 10]));
    expect(r.converged, r.message).toBe(true);
    expectAllClose([...r.x], c, 0, 1e-6, 'x');
    expectClose(r.value, 3, 1e-12, 0, 'value');
  });
});

describe('minimize in a box', () => {
  it('Rosenbrock with x1 ≤ 0.5: the minimum (0.5, 0.25) lies on the bound', () => {
    const b = g.rosenbrockBounded;
    const r = minimize(rosenbrock, fromR(b.x0), { lower: fromR(b.lower), upper: fromR(b.upper) });
    expect(r.converged, r.message).toBe(true);
    expect(r.x[0]).toBe(0.5);
    expectAllClose([...r.x], b.par, 0, 1e-6, 'x');
    expectClose(r.value, 0.25, 1e-9, 0, 'value');
  });

  it('PK MAP with an upper bound on eta2 agrees with L-BFGS-B', () => {
    const b = g.pkMapBounded;
    const upper = fromR(b.upper);
    const seen: number[] = [];
    const f = pkMapObjective(g.pkMap.problem);
    const r = minimize(
      (x) => {
        seen.push(x[1]);
        return f(x);
      },
      fromR(b.x0),
      { ...tight, lower: fromR(b.lower), upper }
    );
    expect(r.converged, r.message).toBe(true);
    expect(r.x[1]).toBe(upper[1]);
    expectAllClose([...r.x], b.par, 0, 1e-6, 'eta');
    expectClose(r.value, b.value, 0, 1e-9, 'value');
    expect(Math.max(...seen)).toBeLessThanOrEqual(upper[1]); // f never asked outside the box
  });

  it('projects a start outside the box onto it', () => {
    const r = minimize((x) => (x[0] - 2) ** 2, new Float64Array([-5]), {
      lower: new Float64Array([0]),
      upper: new Float64Array([1])
    });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(1);
  });
});

describe('minimize where f is not finite', () => {
  it('backs off from a region where f is NaN', () => {
    let nanCalls = 0;
    // minimum (1.9, 0) lies just beside the region x1 < 1.8 where f is NaN; from x1 = 5 the slope
    // is so flat that the second quasi-Newton step lands far inside that region
    const f = (x: Float64Array): number => {
      if (x[0] < 1.8) {
        nanCalls++;
        return NaN;
      }
      return Math.exp(-x[0]) + Math.exp(-1.9) * x[0] + x[1] * x[1];
    };
    const r = minimize(f, new Float64Array([5, 1]), { gradientTolerance: 1e-9 });
    expect(nanCalls).toBeGreaterThan(0); // the test does reach the NaN region
    expect(r.converged, r.message).toBe(true);
    expect(r.method).toBe('bfgs');
    expectAllClose([...r.x], [1.9, 0], 0, 1e-7, 'x');
  });

  it('falls back to Nelder–Mead when the gradient is not finite', () => {
    const f = (x: Float64Array): number => (x[0] - 1) ** 2 + 2 * (x[1] + 0.5) ** 2;
    const r = minimize(f, new Float64Array([3, 3]), { gradient: (_x, gr) => gr.fill(NaN) });
    expect(r.method).toBe('nelder-mead');
    expect(r.converged, r.message).toBe(true);
    expect(r.message).toMatch(/gradient is not finite/);
    expectAllClose([...r.x], [1, -0.5], 0, 1e-4, 'x');
  });

  it('Nelder–Mead alone (gradient NaN) solves Rosenbrock, in 1-D and in a box', () => {
    const nan = (_x: Float64Array, gr: Float64Array): void => void gr.fill(NaN);
    const r = minimize(rosenbrock, fromR(g.rosenbrock2.x0), { gradient: nan });
    expect(r.method).toBe('nelder-mead');
    expect(r.converged, r.message).toBe(true);
    expectAllClose([...r.x], g.rosenbrock2.par, 0, 1e-6, 'x');
    // in 1-D the two vertices can straddle the minimum with equal values: x must settle too
    const one = minimize((x) => (x[0] - 3) ** 2, new Float64Array([0]), { gradient: nan });
    expectAllClose([...one.x], [3], 0, 1e-6, 'x (1-D)');
    const b = g.rosenbrockBounded;
    const box = { lower: fromR(b.lower), upper: fromR(b.upper), gradient: nan };
    const rb = minimize(rosenbrock, fromR(b.x0), box);
    expect(rb.converged, rb.message).toBe(true);
    expectAllClose([...rb.x], b.par, 0, 1e-6, 'x (box)');
  });

  it('starts Nelder–Mead when f is NaN at x0, and escapes to the finite region', () => {
    // NaN for x1 < 1; x0 sits just inside the NaN region, the simplex's first step leaves it
    const f = (x: Float64Array): number => (x[0] < 1 ? NaN : (x[0] - 3) ** 2 + (x[1] - 1) ** 2);
    const r = minimize(f, new Float64Array([0.99, 1]));
    expect(r.method).toBe('nelder-mead');
    expect(r.converged, r.message).toBe(true);
    expectAllClose([...r.x], [3, 1], 0, 1e-4, 'x');
  });

  it('reports +Infinity, never NaN, when f is nowhere finite', () => {
    const r = minimize(() => NaN, new Float64Array([1, 2]));
    expect(r.converged).toBe(false);
    expect(r.value).toBe(Infinity);
    expect(r.message).toMatch(/not finite/);
    expect(r.evaluations).toBeLessThanOrEqual(2000);
  });
});

describe('minimize budget, restarts and input checks', () => {
  it('stops within maxEvaluations with converged = false and a message', () => {
    const x0 = fromR(g.rosenbrock4.x0);
    const r = minimize(rosenbrock, x0, { maxEvaluations: 60 });
    expect(r.converged).toBe(false);
    expect(r.evaluations).toBeLessThanOrEqual(60);
    expect(r.message).toMatch(/budget/);
    expect(r.value).toBeLessThan(rosenbrock(x0));
  });

  it('counts gradient evaluations: 2n per finite-difference gradient, 1 per analytic one', () => {
    let calls = 0;
    const f = (x: Float64Array): number => {
      calls++;
      return (x[0] - 1) ** 2 + (x[1] - 2) ** 2;
    };
    const r = minimize(f, new Float64Array([0, 0]));
    expect(r.evaluations).toBe(calls);
    calls = 0;
    let gradients = 0;
    const a = minimize(f, new Float64Array([0, 0]), {
      gradient: (x, gr) => {
        gradients++;
        gr[0] = 2 * (x[0] - 1);
        gr[1] = 2 * (x[1] - 2);
      }
    });
    expect(a.evaluations).toBe(calls + gradients);
  });

  it('restarts add no evaluations once the projected gradient is below tolerance', () => {
    const f = (x: Float64Array): number => (x[0] - 1) ** 2;
    const none = minimize(f, new Float64Array([0]), { restarts: 0 });
    const two = minimize(f, new Float64Array([0]), { restarts: 2 });
    expect(two.x[0]).toBe(none.x[0]);
    expect(two.evaluations).toBe(none.evaluations);
  });

  it('rejects bad x0, bounds and options with the field named', () => {
    const f = (x: Float64Array): number => x[0] * x[0];
    expect(() => minimize(f, new Float64Array([NaN]))).toThrow(StatsInputError);
    expect(() => minimize(f, new Float64Array([NaN]))).toThrow(/x0\[0\] is NaN/);
    expect(() => minimize(f, new Float64Array([1]), { lower: new Float64Array(2) })).toThrow(
      /lower has 2 values/
    );
    expect(() =>
      minimize(f, new Float64Array([1]), { lower: new Float64Array([2]), upper: new Float64Array([1]) })
    ).toThrow(/bounds of parameter 0 are \[2, 1\]/);
    expect(() => minimize(f, new Float64Array([1]), { maxEvaluations: 0 })).toThrow(
      /maxEvaluations is 0; allowed/
    );
    expect(() => minimize(f, new Float64Array([1]), { restarts: 1.5 })).toThrow(/restarts/);
    expect(() => minimize(f, new Float64Array([1]), { gradientTolerance: -1 })).toThrow(/gradientTolerance/);
  });

  it('with no parameters evaluates f once', () => {
    const r = minimize(() => 7, new Float64Array(0));
    expect(r).toMatchObject({ value: 7, converged: true, evaluations: 1 });
  });
});
