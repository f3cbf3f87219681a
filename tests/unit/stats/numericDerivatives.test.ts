// numericGradient and numericHessian vs exact derivatives: Rosenbrock's by hand, the PK MAP
// objective's from R's deriv3 and optimHess (tests/golden/optimize/optimize.json).
import { describe, expect, it } from 'vitest';
import { numericGradient, numericHessian } from '../../../src/lib/stats';
import { expectAllClose, loadGolden } from './golden';
import { fromR, pkMapObjective, rosenbrock, rosenbrockGradient } from './optimize-problems';

const g = loadGolden('optimize', 'optimize');
const flat = (m: number[][]): number[] => m.flat();

/** Largest |a − b| relative to the largest |b| (entries near 0 judged on the matrix's scale). */
function maxRelativeError(a: ArrayLike<number>, b: number[]): number {
  const scale = Math.max(...b.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  return worst;
}

describe('numericHessian', () => {
  it('Rosenbrock at (-1.2, 1) and at (1, 1) vs the exact Hessian', () => {
    const h0 = numericHessian(rosenbrock, fromR(g.rosenbrock2.x0));
    expectAllClose([...h0], flat(g.rosenbrock2.hessianAtX0), 1e-6, 1e-6, 'H(x0)');
    const h1 = numericHessian(rosenbrock, new Float64Array([1, 1]), 0);
    expectAllClose([...h1], flat(g.rosenbrock2.hessianAtPar), 1e-6, 0, 'H(1, 1)');
  });

  it('PK MAP objective at eta = 0 and at the MAP vs deriv3, 1e-5 relative, and vs optimHess', () => {
    const f = pkMapObjective(g.pkMap.problem);
    const hZero = numericHessian(f, new Float64Array(3));
    expectAllClose([...hZero], flat(g.pkMap.hessianAtZero), 1e-5, 0, 'H(0)');
    const par = fromR(g.pkMap.stationaryPar);
    const hMap = numericHessian(f, par, f(par));
    expectAllClose([...hMap], flat(g.pkMap.hessianAtPar), 1e-5, 0, 'H(MAP)');
    expect(maxRelativeError(hMap, flat(g.pkMap.optimHessAtPar))).toBeLessThan(1e-6);
    expect(hMap[1]).toBe(hMap[3]); // symmetric by construction
  });

  it('an exact quadratic, with parameters of very different sizes', () => {
    // f = ½ xᵀAx with x around (1000, 0.001): steps scale with max(|x|, 1)
    const A = [2, 0.5, 0.5, 4];
    const f = (x: Float64Array): number =>
      0.5 * (A[0] * x[0] * x[0] + 2 * A[1] * x[0] * x[1] + A[3] * x[1] * x[1]);
    const h = numericHessian(f, new Float64Array([1000, 0.001]));
    expectAllClose([...h], A, 1e-5, 0, 'H');
  });

  it('leaves x unchanged', () => {
    const x = new Float64Array([0.3, -0.7]);
    numericHessian(rosenbrock, x);
    expect([...x]).toEqual([0.3, -0.7]);
  });
});

describe('numericGradient', () => {
  it('central differences match Rosenbrock’s gradient to 1e-8 relative', () => {
    const x = new Float64Array([-1.2, 1, 0.5, 2]);
    const exact = new Float64Array(4);
    rosenbrockGradient(x, exact);
    const approx = numericGradient(rosenbrock, x);
    expectAllClose([...approx], [...exact], 1e-8, 1e-8, 'g');
    expect([...x]).toEqual([-1.2, 1, 0.5, 2]); // restored exactly
  });

  it('turns inward at a bound and never evaluates outside the box', () => {
    const seen: number[] = [];
    const f = (x: Float64Array): number => {
      seen.push(x[0]);
      return Math.sqrt(x[0]) + x[1] * x[1]; // NaN left of 0
    };
    const g0 = numericGradient(
      f,
      new Float64Array([0, 1]),
      undefined,
      undefined,
      new Float64Array([0, -5]),
      new Float64Array([1, 5])
    );
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(g0[0])).toBe(true);
    expectAllClose([g0[1]], [2], 1e-8, 0, 'g1');
    const g1 = numericGradient(
      (x) => x[0] * x[0],
      new Float64Array([1]),
      undefined,
      1,
      new Float64Array([0]),
      new Float64Array([1])
    );
    expectAllClose([g1[0]], [2], 1e-7, 0, 'one-sided at the upper bound');
    const fixed = numericGradient(
      (x) => x[0],
      new Float64Array([2]),
      undefined,
      2,
      new Float64Array([2]),
      new Float64Array([2])
    );
    expect(fixed[0]).toBe(0);
  });
});
