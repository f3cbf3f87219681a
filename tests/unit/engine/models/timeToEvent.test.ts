import { describe, expect, it } from 'vitest';
import {
  EventTimeSimulator,
  poissonCounts,
  resolveModel,
  typicalParameters,
  type HazardSpec
} from '../../../../src/lib/engine/models';

const N = 100_000;
const ids = Int32Array.from({ length: N }, (_, i) => i + 1);
const model = resolveModel('pk1cmt_iv');
const params = (n: number) => {
  const p = typicalParameters(model);
  const out = new Float64Array(n * p.length);
  for (let r = 0; r < n; r++) out.set(p, r * p.length);
  return out;
};

function checkSurvival(times: Float64Array, survival: (t: number) => number, checkpoints: number[]) {
  for (const t of checkpoints) {
    let alive = 0;
    for (let i = 0; i < times.length; i++) if (!(times[i] <= t)) alive++;
    const s = survival(t);
    const se = Math.sqrt((s * (1 - s)) / times.length);
    expect(Math.abs(alive / times.length - s)).toBeLessThan(4 * se);
  }
}

describe('time-to-event by cumulative-hazard inversion on the ODE solution', () => {
  it(`constant hazard: empirical survival of ${N} twins matches exp(-λt) within 4 SE`, () => {
    const hazard: HazardSpec = {
      name: 'death',
      baseline: { type: 'exponential', lambda: 0.01 },
      horizon: 300
    };
    const { times, counts } = new EventTimeSimulator(model, hazard).simulateChunk(params(N), [], 11, ids);
    checkSurvival(times, (t) => Math.exp(-0.01 * t), [25, 69.3, 150, 250]);
    for (let i = 0; i < N; i++) if (counts[i] === 0) expect(times[i]).toBeNaN();
  });

  it(`Weibull hazard: empirical survival of ${N} twins matches exp(-(λt)^k) within 4 SE`, () => {
    const hazard: HazardSpec = {
      name: 'relapse',
      baseline: { type: 'weibull', lambda: 0.01, shape: 1.5 },
      horizon: 300
    };
    const { times } = new EventTimeSimulator(model, hazard).simulateChunk(params(N), [], 12, ids);
    checkSurvival(times, (t) => Math.exp(-Math.pow(0.01 * t, 1.5)), [25, 80, 150, 250]);
  });

  it('Gompertz hazard with a covariate linear predictor', () => {
    const n = 20_000;
    const hazard: HazardSpec = {
      name: 'g',
      baseline: { type: 'gompertz', lambda: 0.002, gamma: 0.01 },
      horizon: 300
    };
    const lp = new Float64Array(n).fill(Math.log(2));
    const { times } = new EventTimeSimulator(model, hazard).simulateChunk(
      params(n),
      [],
      13,
      ids.subarray(0, n),
      lp
    );
    checkSurvival(times, (t) => Math.exp(-2 * (0.002 / 0.01) * Math.expm1(0.01 * t)), [50, 150]);
  });

  it('hazard driven by the model concentration (proportional effect of an output)', () => {
    const n = 20_000;
    const beta = 0.5;
    const hazard: HazardSpec = {
      name: 'ae',
      baseline: { type: 'exponential', lambda: 0.005 },
      outputEffect: { output: 'C', beta },
      horizon: 48
    };
    const doses = [{ time: 0, amount: 200, target: 'central' }];
    const { times } = new EventTimeSimulator(model, hazard, { rtol: 1e-8, atol: 1e-10 }).simulateChunk(
      params(n),
      doses,
      14,
      ids.subarray(0, n)
    );
    // exact: C(t) = 4·e^{-0.1 t}; H(t) = ∫ 0.005·exp(0.5·C(s)) ds (fine Simpson rule)
    const cumulative = (t: number) => {
      const m = 2000;
      const h = t / m;
      let s = 0;
      for (let i = 0; i <= m; i++) {
        const w = i === 0 || i === m ? 1 : i % 2 ? 4 : 2;
        s += w * 0.005 * Math.exp(beta * 4 * Math.exp(-0.1 * i * h));
      }
      return (s * h) / 3;
    };
    checkSurvival(times, (t) => Math.exp(-cumulative(t)), [6, 24, 48]);
  });

  it('repeated events: counts follow Poisson(λ·T) for a constant hazard', () => {
    const n = 20_000;
    const hazard: HazardSpec = {
      name: 'seizure',
      baseline: { type: 'exponential', lambda: 0.05 },
      horizon: 100,
      maxEvents: 30
    };
    const { counts } = new EventTimeSimulator(model, hazard).simulateChunk(
      params(n),
      [],
      15,
      ids.subarray(0, n)
    );
    let mean = 0;
    for (const c of counts) mean += c;
    mean /= n;
    expect(Math.abs(mean - 5)).toBeLessThan(4 * Math.sqrt(5 / n));
  });

  it('is deterministic per (seed, twin id) whatever the chunk', () => {
    const hazard: HazardSpec = {
      name: 'death',
      baseline: { type: 'exponential', lambda: 0.01 },
      horizon: 300
    };
    const sim = new EventTimeSimulator(model, hazard);
    const all = sim.simulateChunk(params(100), [], 11, ids.subarray(0, 100));
    const one = sim.simulateChunk(params(1), [], 11, [42]);
    expect(one.times[0]).toBe(all.times[41]);
  });
});

describe('count outcomes', () => {
  it('Poisson counts with a model-driven rate have the right mean and variance', () => {
    const n = 20_000;
    const times = Float64Array.of(0, 10);
    const rates = new Float64Array(n * 2).fill(0.3); // mean 3 per interval
    const c = poissonCounts('events', 5, ids.subarray(0, n), times, rates);
    let m = 0;
    let v = 0;
    for (let r = 0; r < n; r++) m += c[r * 2 + 1];
    m /= n;
    for (let r = 0; r < n; r++) v += (c[r * 2 + 1] - m) ** 2;
    v /= n - 1;
    expect(Math.abs(m - 3)).toBeLessThan(4 * Math.sqrt(3 / n));
    expect(Math.abs(v - 3)).toBeLessThan(4 * Math.sqrt((3 + 2 * 9) / n));
  });
});
