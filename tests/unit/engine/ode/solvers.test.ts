import { describe, expect, it } from 'vitest';
import {
  DormandPrince45,
  LevelCrossing,
  Rosenbrock4,
  ScalarDormandPrince45,
  StepLimitError,
  type StagedScalarSystem,
  type OdeSolver,
  type OdeSystem,
  type OutputSink
} from '../../../../src/lib/engine/ode';

/** y1' = y2, y2' = -y1 (harmonic oscillator): y = (cos t, -sin t). */
const oscillator: OdeSystem = {
  dimension: 2,
  rhs(_t, y, dy) {
    dy[0] = y[1];
    dy[1] = -y[0];
  }
};

/** Stiff linear pair: y1' = -10000 y1 + y2, y2' = -y2 (exact solution known). */
const stiffLinear: OdeSystem = {
  dimension: 2,
  rhs(_t, y, dy) {
    dy[0] = -1e4 * y[0] + y[1];
    dy[1] = -y[1];
  }
};
function stiffExact(t: number): [number, number] {
  // y2 = e^{-t}; y1 = e^{-t}/9999 + (1 - 1/9999) e^{-10000 t} for y(0) = (1, 1)
  return [Math.exp(-t) / 9999 + (1 - 1 / 9999) * Math.exp(-1e4 * t), Math.exp(-t)];
}

class Collect implements OutputSink {
  values: number[][] = [];
  record(_k: number, _t: number, y: Float64Array) {
    this.values.push(Array.from(y));
  }
}

function run(solver: OdeSolver, system: OdeSystem, y0: number[], times: number[], t1: number) {
  const y = Float64Array.from(y0);
  const sink = new Collect();
  solver.integrate(system, 0, t1, y, Float64Array.from(times), 0, sink);
  return { sink, y };
}

describe('DormandPrince45', () => {
  it('integrates the harmonic oscillator with dense output to tolerance', () => {
    const solver = new DormandPrince45(2, { rtol: 1e-10, atol: 1e-12 });
    const times = Array.from({ length: 101 }, (_, i) => i * 0.1);
    const { sink } = run(solver, oscillator, [1, 0], times, 10);
    expect(sink.values.length).toBe(101);
    times.forEach((t, i) => {
      expect(Math.abs(sink.values[i][0] - Math.cos(t))).toBeLessThan(1e-8);
      expect(Math.abs(sink.values[i][1] + Math.sin(t))).toBeLessThan(1e-8);
    });
  });

  it('shows fifth-order convergence in the global error', () => {
    const errAt = (rtol: number) => {
      const s = new DormandPrince45(2, { rtol, atol: rtol });
      const { y } = run(s, oscillator, [1, 0], [], 20);
      return { err: Math.abs(y[0] - Math.cos(20)), steps: s.acceptedSteps };
    };
    const a = errAt(1e-6);
    const b = errAt(1e-9);
    // error ~ steps^-5: the observed slope should be close to 5
    const slope = Math.log(a.err / b.err) / Math.log(b.steps / a.steps);
    expect(slope).toBeGreaterThan(4.3);
    expect(slope).toBeLessThan(6.5);
  });

  it('stops at a level crossing located on the dense output', () => {
    // y' = 1: y reaches 2.5 at t = 2.5
    const ramp: OdeSystem = {
      dimension: 1,
      rhs(_t, _y, dy) {
        dy[0] = 1;
      }
    };
    const s = new DormandPrince45(1);
    const watch = new LevelCrossing(0, 2.5);
    const y = new Float64Array(1);
    s.integrate(ramp, 0, 10, y, new Float64Array(0), 0, new Collect(), watch);
    expect(watch.crossed).toBe(true);
    expect(watch.time).toBeCloseTo(2.5, 12);
    expect(y[0]).toBeCloseTo(2.5, 12);
  });

  it('raises a clear error instead of looping forever', () => {
    const blowUp: OdeSystem = {
      dimension: 1,
      rhs(_t, y, dy) {
        dy[0] = y[0] * y[0];
      }
    };
    const s = new DormandPrince45(1, { maxSteps: 500 });
    s.context = 'twin 17';
    expect(() =>
      s.integrate(blowUp, 0, 2, Float64Array.of(1), new Float64Array(0), 0, new Collect())
    ).toThrow(/twin 17 at t=1\.0\d*: .*state=\[/);
    expect(() =>
      s.integrate(blowUp, 0, 2, Float64Array.of(1), new Float64Array(0), 0, new Collect())
    ).toThrow(StepLimitError);
  });
});

describe('Rosenbrock4', () => {
  it('solves a stiff linear system accurately in few steps', () => {
    const solver = new Rosenbrock4(2, { rtol: 1e-8, atol: 1e-14 });
    const times = [0.0001, 0.001, 0.01, 0.1, 1, 5];
    const { sink } = run(solver, stiffLinear, [1, 1], times, 5);
    times.forEach((t, i) => {
      const [e1, e2] = stiffExact(t);
      expect(Math.abs(sink.values[i][0] - e1) / e1).toBeLessThan(1e-6);
      expect(Math.abs(sink.values[i][1] - e2) / e2).toBeLessThan(1e-6);
    });
    const explicit = new DormandPrince45(2, { rtol: 1e-8, atol: 1e-14 });
    run(explicit, stiffLinear, [1, 1], [], 5);
    expect(solver.acceptedSteps).toBeLessThan(explicit.acceptedSteps / 5);
  });

  it('shows fourth-order convergence on a non-linear problem', () => {
    // logistic y' = y(1-y), y(0)=0.1: y = 1/(1+9e^{-t})
    const logistic: OdeSystem = {
      dimension: 1,
      rhs(_t, y, dy) {
        dy[0] = y[0] * (1 - y[0]);
      }
    };
    const errAt = (rtol: number) => {
      const s = new Rosenbrock4(1, { rtol, atol: rtol });
      const { y } = run(s, logistic, [0.1], [], 10);
      return { err: Math.abs(y[0] - 1 / (1 + 9 * Math.exp(-10))), steps: s.acceptedSteps };
    };
    const a = errAt(1e-5);
    const b = errAt(1e-9);
    const slope = Math.log(a.err / b.err) / Math.log(b.steps / a.steps);
    expect(slope).toBeGreaterThan(3.3);
    expect(b.err).toBeLessThan(1e-8);
  });
});

/** y' = −0.1·y + 3·e^{−0.05t} − 2·e^{−t}: a scalar state driven by a sum of exponentials. */
const drive = (t: number) => 3 * Math.exp(-0.05 * t) - 2 * Math.exp(-t);
const drivenVector: OdeSystem = {
  dimension: 1,
  rhs(t, y, dy) {
    dy[0] = -0.1 * y[0] + drive(t);
  }
};
class DrivenScalar implements StagedScalarSystem {
  values: number[] = [];
  beginIntegration(): void {}
  beginStep(): void {}
  acceptStep(): void {}
  f(_stage: number, t: number, y: number): number {
    return -0.1 * y + drive(t);
  }
  record(_k: number, _t: number, y: number): void {
    this.values.push(y);
  }
}

describe('ScalarDormandPrince45', () => {
  it('takes the same steps and gives the same outputs as DormandPrince45 on one state', () => {
    const options = { rtol: 1e-6, atol: 1e-9 };
    const times = Array.from({ length: 97 }, (_, i) => i * 0.5);
    const vector = new DormandPrince45(1, options);
    const scalar = new ScalarDormandPrince45(options);
    const system = new DrivenScalar();
    const sink = new Collect();
    const y = Float64Array.from([5]);
    let k = 0;
    let kScalar = 0;
    let yScalar = 5;
    // restarts at 0, 12, 24, 36 as after doses, with the carried-over first step
    for (const [t0, t1] of [
      [0, 12],
      [12, 24],
      [24, 48]
    ]) {
      k = vector.integrate(drivenVector, t0, t1, y, Float64Array.from(times), k, sink);
      kScalar = scalar.integrate(system, t0, t1, yScalar, Float64Array.from(times), kScalar);
      yScalar = scalar.y;
      expect(scalar.acceptedSteps).toBe(vector.acceptedSteps);
      expect(scalar.rejectedSteps).toBe(vector.rejectedSteps);
    }
    expect(kScalar).toBe(times.length);
    expect(system.values.length).toBe(times.length);
    system.values.forEach((v, i) =>
      expect(Math.abs(v - sink.values[i][0])).toBeLessThan(1e-13 * Math.abs(v))
    );
    expect(yScalar).toBe(y[0]);
  });

  it('reaches the tolerance on the driven problem (exact solution by variation of constants)', () => {
    // y = 5e^{−0.1t} + 3(e^{−0.05t} − e^{−0.1t})/0.05 + 2(e^{−t} − e^{−0.1t})/0.9
    const exact = (t: number) =>
      5 * Math.exp(-0.1 * t) +
      (3 * (Math.exp(-0.05 * t) - Math.exp(-0.1 * t))) / 0.05 +
      (2 * (Math.exp(-t) - Math.exp(-0.1 * t))) / 0.9;
    const solver = new ScalarDormandPrince45({ rtol: 1e-10, atol: 1e-12 });
    const system = new DrivenScalar();
    const times = Array.from({ length: 49 }, (_, i) => i);
    solver.integrate(system, 0, 48, 5, Float64Array.from(times), 0);
    times.forEach((t, i) => expect(Math.abs(system.values[i] - exact(t))).toBeLessThan(1e-8 * exact(t)));
  });

  it('raises a StepLimitError naming the context', () => {
    const solver = new ScalarDormandPrince45({ maxSteps: 5 });
    solver.context = 'twin 7';
    expect(() => solver.integrate(new DrivenScalar(), 0, 1000, 5, new Float64Array(0), 0)).toThrow(
      /twin 7.*more than 5 steps/
    );
  });
});
