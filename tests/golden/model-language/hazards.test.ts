/**
 * The model language's `hazards` block against closed forms and against the protocol's
 * parametric hazards.
 *
 * Closed form: one-compartment IV bolus D at t = 0, C(t) = D/V·e^{−kt} (k = CL/V), and a
 * hazard h(t) = λ·C(t). The cumulative hazard is H(t) = λD/CL·(1 − e^{−kt}), so the event
 * for a unit-exponential draw E is at T = −ln(1 − E·CL/(λD))/k when E < λD/CL, else never
 * (Bender, Augustin & Blettner, Stat Med 24 (2005) 1713–1723, inversion). E is the twin's
 * draw from its event stream, reproduced here from the stream's key.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { EventTimeSimulator, typicalParameters } from '../../../src/lib/engine/models';
import { purposeHash, RandomStream } from '../../../src/lib/engine/rng';
import { compileProtocol, simulateTrialChunk } from '../../../src/lib/engine/trial';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { problems } from '../../unit/model-language/problems';

const HAZARD_PK = `model hazard_pk
parameters
  CL = 5 [L/h] "clearance"
  V = 50 [L] "volume"
  LAMBDA = 0.1 [L/(mg*h)] "hazard per unit concentration"
  LAMBDA0 = 0.01 [1/h] "baseline hazard"
  BETA = 0.5 [L/mg] "log hazard ratio per unit concentration"
tolerance(rtol = 1e-10, atol = 1e-12)
pk one_compartment(iv, CL = CL, V = V)
outputs
  C = C [mg/L] "concentration"
hazards
  h = LAMBDA * C [1/h] "event rate proportional to the concentration"
  h_exp = LAMBDA0 * exp(BETA * C) "log-linear in the concentration"
`;
const SEED = 20261201;
const N = 200;
const ids = Int32Array.from({ length: N }, (_, i) => i + 1);

function eventTimes(
  baseline: ConstructorParameters<typeof EventTimeSimulator>[1]['baseline'],
  outputEffect?: { output: string; beta: number }
) {
  const model = compileModelText(HAZARD_PK).model;
  const p = typicalParameters(model);
  const params = new Float64Array(N * p.length);
  for (let i = 0; i < N; i++) params.set(p, i * p.length);
  const sim = new EventTimeSimulator(model, { name: 'event', baseline, outputEffect, horizon: 200 });
  return sim.simulateChunk(params, [{ time: 0, amount: 100, target: 'central' }], SEED, ids).times;
}

describe('model language: hazards', () => {
  it('declares each hazard as an output (per hour) that endpoints may name', () => {
    const model = compileModelText(HAZARD_PK).model;
    expect(model.outputs.map((o) => [o.name, o.hazard ?? false])).toEqual([
      ['C', false],
      ['h', true],
      ['h_exp', true]
    ]);
  });

  it('gives the closed-form event times of h = λ·C after an IV bolus', () => {
    const times = eventTimes({ type: 'model', output: 'h' });
    const [CL, V, LAMBDA, D] = [5, 50, 0.1, 100];
    const k = CL / V;
    const stream = new RandomStream();
    let events = 0;
    for (let i = 0; i < N; i++) {
      const E = -Math.log(stream.reset(SEED, purposeHash('event:event'), ids[i], 0).uniformOpen());
      const x = 1 - (E * CL) / (LAMBDA * D);
      const expected = x > 0 ? -Math.log(x) / k : Infinity;
      if (expected > 200) expect(times[i]).toBeNaN();
      else {
        events++;
        expect(Math.abs(times[i] - expected) / expected).toBeLessThan(1e-6);
      }
    }
    // H(∞) = λD/CL = 2: about 1 − e^−2 = 86% of twins have an event.
    expect(events).toBeGreaterThan(0.75 * N);
    expect(events).toBeLessThan(0.95 * N);
  });

  it("gives the protocol's parametric hazard's event times for the same hazard written in the model", () => {
    const model = eventTimes({ type: 'model', output: 'h_exp' });
    const parametric = eventTimes({ type: 'exponential', lambda: 0.01 }, { output: 'C', beta: 0.5 });
    for (let i = 0; i < N; i++) {
      if (Number.isNaN(parametric[i])) expect(model[i]).toBeNaN();
      else expect(Math.abs(model[i] - parametric[i]) / parametric[i]).toBeLessThan(1e-9);
    }
  });

  it('refuses a hazard whose unit is not per hour, and an error model on a hazard', () => {
    expect(problems(HAZARD_PK.replace('LAMBDA * C [1/h]', 'LAMBDA * C [mg/L]'))).toEqual([
      '13:19: a hazard is a rate per hour: its unit is [1/h], not [mg/L]'
    ]);
    expect(problems(HAZARD_PK.replace('LAMBDA0 * exp(BETA * C)', 'LAMBDA0 * CL'))).toEqual([
      expect.stringMatching(/^14:\d+: .*hazard 'h_exp'/)
    ]);
    expect(problems(HAZARD_PK.replace('[1/h] "event', '[1/h] ~ additive(1) "event'))).toEqual([
      expect.stringMatching(/^13:/)
    ]);
  });
});

describe('a protocol naming a model hazard', () => {
  const ROOT = new URL('../../../', import.meta.url).pathname;
  const PROTOCOL = `${ROOT}protocols/oncology-tgi-os.yaml`;
  const yaml = readFileSync(PROTOCOL, 'utf8');
  const FILE_LINE = '  model: { file: ../models/pk1cmt_iv_tgi_claret.model }\n';
  const PARAMETRIC = `      baseline: weibull
      rate: 0.00004
      shape: 1.2
      output: SLD
      coefficient: 0.012
`;
  /** The OS hazard of the protocol (Weibull baseline × exp(0.012·SLD)) written in the model. */
  const text = readFileSync(`${ROOT}models/pk1cmt_iv_tgi_claret.model`, 'utf8')
    .replace('parameters\n', 'parameters\n  HR0 = 0.00004 [1/h] "Weibull rate of death"\n')
    .concat('\nhazards\n  OS = HR0 * 1.2 * pow(HR0 * t, 0.2) * exp(0.012 * SLD) "hazard of death"\n');
  const load = (changed: string) =>
    compileProtocol(
      loadProtocol(changed, PROTOCOL, (file) => {
        const path = resolve(dirname(PROTOCOL), file);
        return { text: readFileSync(path, 'utf8'), file: path };
      })
    );
  const withModelHazard = (hazard: string) =>
    yaml
      .replace(
        FILE_LINE,
        `  model:\n    file: tgi_os.model\n    text: |\n${text.replace(/^(?=.)/gm, '      ')}\n`
      )
      .replace(PARAMETRIC, hazard);

  it('gives the overall survival of the parametric hazard it restates', () => {
    for (const part of [FILE_LINE, PARAMETRIC]) expect(yaml).toContain(part);
    const parametric = simulateTrialChunk(load(yaml), 0, 1, 60).endpoint;
    const model = simulateTrialChunk(load(withModelHazard('      model: OS\n')), 0, 1, 60).endpoint;
    expect(model.value.length).toBe(parametric.value.length);
    let events = 0;
    for (let i = 0; i < parametric.value.length; i++) {
      expect(model.censored[i]).toBe(parametric.censored[i]);
      const [a, b] = [model.value[i], parametric.value[i]];
      if (Number.isNaN(b)) expect(a).toBeNaN();
      else expect(Math.abs(a - b) / Math.max(Math.abs(b), 1e-9)).toBeLessThan(1e-6);
      if (parametric.endpoint[i] === 0 && !parametric.censored[i]) events++;
    }
    expect(events).toBeGreaterThan(5);
  });

  it('refuses hazard.model naming an output that is not a hazard, or with a rate', () => {
    expect(() => load(withModelHazard('      model: SLD\n'))).toThrow(
      "endpoints[0].hazard.model: 'SLD' is an output, not a hazard of model pk1cmt_iv_tgi_claret (its hazards: OS)"
    );
    expect(() => load(withModelHazard('      model: OS\n      rate: 0.1\n'))).toThrow(
      'endpoints[0].hazard.rate: give either hazard.model or hazard.rate, not both'
    );
    expect(() => load(yaml.replace('      rate: 0.00004\n', ''))).toThrow(
      'endpoints[0].hazard.rate: give hazard.rate (per hour), or hazard.model (model pk1cmt_iv_tgi_claret declares no hazard)'
    );
  });
});
