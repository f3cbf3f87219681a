/**
 * Intercurrent events, course step by course step, on a one-compartment IV model with a
 * linear effect E = E0 + SLOPE·C given as back-to-back one-hour infusions (so stopping the
 * doses stops the input within the hour): a constant discontinuation hazard's times are
 * exponential; a rule fires at the first visit whose observed value crosses; after
 * discontinuation the concentration decays as the model's washout C(t_d)·e^{−k(t − t_d)};
 * the lost-to-follow-up fraction is the stated probability and nothing is observed after
 * it; rescue adds shift·(1 − e^{−(t − t_r)/onset}).
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  compileProtocol,
  EVENT_DISCONTINUATION,
  EVENT_LOST_TO_FOLLOW_UP,
  EVENT_MISSED_DOSE,
  EVENT_RESCUE,
  simulateTrialChunk,
  type TrialChunk
} from '../../../src/lib/engine/trial';
import { generateCohortChunk } from '../../../src/lib/engine/cohort';
import { addRescueEffect } from '../../../src/lib/engine/trial/rescue-effect';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { SpecError } from '../../../src/lib/spec/issues';

const ROOT = new URL('../../../', import.meta.url).pathname;
const COHORT = readFileSync(`${ROOT}cohorts/adults-nhanes.yaml`, 'utf8');

const CL = 10;
const V = 200;
const K = CL / V;
const WEEK = 168;

/** Counterfactual, placebo and drug (1 mg/L at steady state), no IIV, no dropout. */
const BASE = {
  name: 'intercurrent test',
  seed: 7,
  design: 'counterfactual',
  cohort: { file: 'adults-nhanes.yaml', n: 400 },
  model: {
    model: 'pk1cmt_iv+linear',
    parameters: { CL, V, E0: 100, SLOPE: -5 },
    residualError: { E: { type: 'additive', additive: 2 } }
  },
  arms: [
    { name: 'placebo', placebo: true },
    { name: 'drug', regimen: { dose: 10, interval: '1h', duration: '1w', infusion: '1h' } }
  ],
  schedule: { duration: '1w', visits: [0, '1d', '2d', '3d', '4d', '5d', '6d', '1w'] },
  endpoints: [{ name: 'dE', type: 'continuous', variable: 'E', visit: '1w', primary: true }]
};
type Spec = typeof BASE & Record<string, unknown>;

function protocol(changes: (p: Spec) => void = () => {}) {
  const p = structuredClone(BASE) as Spec;
  changes(p);
  return loadProtocol(stringify(p), 'trial.yaml', () => ({ text: COHORT, file: 'adults-nhanes.yaml' }));
}

const simulate = (p: ReturnType<typeof protocol>, n = 400) => simulateTrialChunk(compileProtocol(p), 0, 1, n);

/** Event times of one kind in one arm, by twin. */
function eventTimes(c: TrialChunk, kind: number, arm: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < c.event.twin.length; i++)
    if (c.event.kind[i] === kind && c.event.arm[i] === arm) out.set(c.event.twin[i], c.event.time[i]);
  return out;
}

/** Observations of one variable in one arm: twin → [time, value][] in time order. */
function observations(c: TrialChunk, variable: number, arm: number): Map<number, [number, number][]> {
  const out = new Map<number, [number, number][]>();
  const o = c.observation;
  for (let i = 0; i < o.twin.length; i++) {
    if (o.variable[i] !== variable || o.arm[i] !== arm) continue;
    if (!out.has(o.twin[i])) out.set(o.twin[i], []);
    out.get(o.twin[i])!.push([o.time[i], o.value[i]]);
  }
  for (const list of out.values()) list.sort((a, b) => a[0] - b[0]);
  return out;
}

describe('treatment discontinuation', () => {
  it('by a constant hazard: the times are exponential, the same in every arm', () => {
    // 40 % by one week: λ = −ln(0.6)/168 per hour.
    const n = 2000;
    const c = simulate(
      protocol((p) => {
        p.cohort.n = n;
        p.intercurrent = { discontinuation: [{ reason: 'other', probability: 0.4, by: '1w' }] };
      }),
      n
    );
    const placebo = eventTimes(c, EVENT_DISCONTINUATION, 0);
    const drug = eventTimes(c, EVENT_DISCONTINUATION, 1);
    expect([...drug.entries()]).toEqual([...placebo.entries()]);
    const lambda = -Math.log(0.6) / WEEK;
    const times = [...drug.values()];
    for (const t of [12, 48, 96, WEEK]) {
      const p = 1 - Math.exp(-lambda * t);
      const observed = times.filter((x) => x <= t).length / n;
      expect(Math.abs(observed - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(Math.max(...times)).toBeLessThanOrEqual(WEEK);
  });

  it("by a hazard scaled by a covariate: as many as the twins' hazards give", () => {
    // λ_i = λ·exp(β·age_i): P_i = 1 − exp(−λ_i·168); the count within 4 SD of Σ P_i.
    const n = 2000;
    const lambda = 0.002;
    const beta = 0.04;
    const p = protocol((q) => {
      q.cohort.n = n;
      q.intercurrent = { discontinuation: [{ reason: 'other', rate: lambda, covariates: { age: beta } }] };
    });
    const plan = compileProtocol(p);
    const c = simulateTrialChunk(plan, 0, 1, n);
    const age = generateCohortChunk(plan.cohort, p.seed, 1, n).columns[
      plan.cohort.columns.findIndex((x) => x.name === 'age')
    ];
    let mean = 0;
    let variance = 0;
    for (let i = 0; i < n; i++) {
      const pi = 1 - Math.exp(-lambda * Math.exp(beta * age[i]) * WEEK);
      mean += pi;
      variance += pi * (1 - pi);
    }
    const stopped = eventTimes(c, EVENT_DISCONTINUATION, 0).size;
    expect(Math.abs(stopped - mean)).toBeLessThan(4 * Math.sqrt(variance));
    expect(stopped).toBeGreaterThan(0.1 * n);
    expect(stopped).toBeLessThan(0.9 * n);
  });

  it('by an informative hazard: set at each visit by the observed change, as informative dropout', () => {
    // Placebo twins (nothing to wash out): H_i = Σ_v λ·exp(c·(E_v − E_0))·(t_{v+1} − t_v)
    // from the recorded observations; the count within 4 SD of Σ (1 − e^{−H_i}).
    const n = 2000;
    const lambda = 0.003;
    const coefficient = 0.4;
    const c = simulate(
      protocol((q) => {
        q.cohort.n = n;
        q.intercurrent = {
          discontinuation: [{ reason: 'other', rate: lambda, informative: { variable: 'E', coefficient } }]
        };
      }),
      n
    );
    let mean = 0;
    let variance = 0;
    for (const list of observations(c, 1, 0).values()) {
      let h = 0;
      for (let v = 0; v < list.length - 1; v++)
        h +=
          lambda *
          (v === 0 ? 1 : Math.exp(coefficient * (list[v][1] - list[0][1]))) *
          (list[v + 1][0] - list[v][0]);
      const pi = 1 - Math.exp(-h);
      mean += pi;
      variance += pi * (1 - pi);
    }
    const stopped = eventTimes(c, EVENT_DISCONTINUATION, 0).size;
    expect(Math.abs(stopped - mean)).toBeLessThan(4 * Math.sqrt(variance));
  });

  it('by a rule: fires at the first visit whose observed value crosses, and the drug then washes out', () => {
    const c = simulate(
      protocol((p) => {
        p.intercurrent = {
          discontinuation: [{ reason: 'lack_of_efficacy', when: { output: 'E', above: 97.5 } }]
        };
      })
    );
    const stopped = eventTimes(c, EVENT_DISCONTINUATION, 1);
    const e = observations(c, 1, 1);
    const conc = observations(c, 0, 1);
    let fired = 0;
    for (const [twin, list] of e) {
      const first = list.find(([t, y]) => t > 0 && y > 97.5);
      expect(stopped.get(twin)).toBe(first?.[0]);
      if (!first) continue;
      fired++;
      // No dose from t_d on: C(t) = C(t_d)·e^{−k(t − t_d)} at every later visit.
      const td = first[0];
      const cs = conc.get(twin)!;
      const c0 = cs.find(([t]) => t === td)![1];
      for (const [t, value] of cs) if (t > td) expect(value).toBeCloseTo(c0 * Math.exp(-K * (t - td)), 10);
    }
    // The rule fires for some twins and not for others (E ≈ 95.2 at 1 d with SD 2).
    expect(fired).toBeGreaterThan(20);
    expect(fired).toBeLessThan(e.size - 20);
  });

  it('is checked at the visits `at` lists only', () => {
    const c = simulate(
      protocol((p) => {
        p.intercurrent = {
          discontinuation: [{ reason: 'lack_of_efficacy', when: { output: 'E', above: 97.5 }, at: ['3d'] }]
        };
      })
    );
    const times = new Set(eventTimes(c, EVENT_DISCONTINUATION, 1).values());
    expect([...times]).toEqual([72]);
  });

  it('ends missed doses: none is missed after discontinuation', () => {
    const c = simulate(
      protocol((p) => {
        p.adherence = { missedDose: 0.2 };
        p.intercurrent = { discontinuation: [{ reason: 'other', probability: 0.5, by: '1w' }] };
      })
    );
    const stopped = eventTimes(c, EVENT_DISCONTINUATION, 1);
    let missed = 0;
    for (let i = 0; i < c.event.twin.length; i++) {
      if (c.event.kind[i] !== EVENT_MISSED_DOSE || c.event.arm[i] !== 1) continue;
      missed++;
      expect(c.event.time[i]).toBeLessThan(stopped.get(c.event.twin[i]) ?? Infinity);
    }
    expect(missed).toBeGreaterThan(1000);
  });

  it('loses the stated fraction to follow-up, with nothing observed afterwards', () => {
    const n = 2000;
    const c = simulate(
      protocol((p) => {
        p.cohort.n = n;
        p.intercurrent = {
          discontinuation: [{ reason: 'other', probability: 0.5, by: '1w' }],
          lossToFollowUp: 0.3
        };
      }),
      n
    );
    const stopped = eventTimes(c, EVENT_DISCONTINUATION, 1);
    const lost = eventTimes(c, EVENT_LOST_TO_FOLLOW_UP, 1);
    const m = stopped.size;
    expect(Math.abs(lost.size / m - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / m));
    const e = observations(c, 1, 1);
    for (const [twin, t] of lost) {
      expect(stopped.get(twin)).toBe(t);
      expect(Math.max(...e.get(twin)!.map(([time]) => time))).toBeLessThanOrEqual(t);
    }
    // Retrieved dropouts: those not lost keep every visit.
    for (const twin of stopped.keys()) if (!lost.has(twin)) expect(e.get(twin)!.length).toBe(8);
  });
});

describe('rescue medication', () => {
  it('adds shift·(1 − e^{−(t − t_r)/onset}) after the rescue time', () => {
    const times = Float64Array.of(0, 10, 20, 40);
    const pred = Float64Array.of(1, 1, 1, 1, 5, 5, 5, 5);
    addRescueEffect(pred, times, 1, -3, 8, 10);
    expect([...pred.subarray(0, 4)]).toEqual([1, 1, 1, 1]);
    expect(pred[4]).toBe(5);
    expect(pred[5]).toBe(5);
    expect(pred[6]).toBeCloseTo(5 - 3 * (1 - Math.exp(-10 / 8)), 14);
    expect(pred[7]).toBeCloseTo(5 - 3 * (1 - Math.exp(-30 / 8)), 14);
  });

  it('starts at the first visit whose observed value crosses, once, and moves the later observations', () => {
    const rescued = (shift: number) =>
      simulate(
        protocol((p) => {
          p.intercurrent = {
            rescue: { when: { output: 'E', above: 101 }, effect: { output: 'E', shift, onset: '1d' } }
          };
        })
      );
    const c = rescued(-10);
    const none = rescued(0);
    const starts = eventTimes(c, EVENT_RESCUE, 0);
    const e = observations(c, 1, 0);
    const e0 = observations(none, 1, 0);
    expect(starts.size).toBeGreaterThan(50);
    for (const [twin, list] of e) {
      const first = list.find(([t, y]) => t > 0 && y > 101);
      expect(starts.get(twin)).toBe(first?.[0]);
      // The same residual draws: the rescued course differs by the effect's form exactly.
      const tr = first?.[0] ?? Infinity;
      list.forEach(([t, y], i) => {
        const effect = t > tr ? -10 * (1 - Math.exp(-(t - tr) / 24)) : 0;
        expect(y).toBeCloseTo(e0.get(twin)![i][1] + effect, 10);
      });
    }
  });
});

describe('intercurrent events in a protocol', () => {
  const issuesOf = (changes: (p: Spec) => void) => {
    try {
      compileProtocol(protocol(changes));
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      return (e as SpecError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    }
    throw new Error('no error');
  };

  it('names each problem by its field path', () => {
    const issues = issuesOf((p) => {
      p.intercurrent = {
        discontinuation: [
          { reason: 'a' },
          { reason: 'b', rate: 0.1, when: { output: 'E', above: 1 } },
          { reason: 'c', when: { output: 'E', above: 1, below: 0 } },
          { reason: 'd', when: { output: 'X', above: 1 }, at: ['10h'] },
          { reason: 'e', probability: 0.2 }
        ],
        rescue: { when: { output: 'E', above: 1 }, at: [0], effect: { output: 'E', shift: 1, onset: '1d' } }
      };
      Object.assign(p.endpoints[0], { estimands: ['composite', 'hypothetical', 'hypothetical'] });
    });
    expect(issues).toEqual([
      'intercurrent.discontinuation.0: give rate, probability or when',
      'intercurrent.discontinuation.1.when: a cause is a hazard (rate or probability) or a rule (when), not both',
      'intercurrent.discontinuation.2.when: give above or below (one of them)',
      "intercurrent.discontinuation.3.when.output: model pk1cmt_iv+linear has no output 'X' (outputs: C, E)",
      'intercurrent.discontinuation.3.at.0: 10h is not a visit (visits: 0h, 1d, 2d, 3d, 4d, 5d, 6d, 1w)',
      'intercurrent.discontinuation.4.by: a probability needs the time it is reached by, e.g. by: 24w',
      'intercurrent.rescue.at.0: is baseline: a rule is checked at visits after baseline',
      'endpoints.0.composite: the composite estimand of a continuous endpoint needs its success threshold: composite: { below: x } or { above: x }',
      "endpoints.0.estimands.2: 'hypothetical' is listed twice"
    ]);
  });

  it('refuses a crossover design, and loss to follow-up without discontinuation', () => {
    const issues = issuesOf((p) => {
      p.design = 'crossover';
      p.crossover = { washout: '1w' };
      p.intercurrent = { lossToFollowUp: 0.1 };
    });
    expect(issues).toContain(
      'intercurrent: intercurrent events are not supported in a crossover design (parallel or counterfactual only)'
    );
    expect(issues).toContain(
      'intercurrent.lossToFollowUp: is a probability among twins who discontinue: give discontinuation too'
    );
  });
});
