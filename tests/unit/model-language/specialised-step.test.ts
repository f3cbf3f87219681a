/**
 * A compiled ODE model text brings its own Dormand–Prince step (stages unrolled, the
 * right-hand side inlined): its results must be those of the solver's own step to the
 * bit, with doses, infusions, if(), time in the equations and cached individual
 * quantities.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { simulateChunk, type Dose, type OdeModel, type PkPdModel } from '../../../src/lib/engine/models';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { bm1Doses, bm1ParametersFor, bm1TextModel, bm1Times } from '../../bench/bm1Setup';

/** The same model without its own step: the solver takes its generic one. */
function withoutStep(model: OdeModel): OdeModel {
  const copy = { ...model };
  delete copy.step;
  return copy;
}

/** Both runs' outputs as bytes: equal bytes are equal bits, NaN and -0 included. */
function bothWays(
  model: OdeModel,
  params: Float64Array,
  times: Float64Array,
  doses: Dose[],
  solver?: 'explicit'
) {
  const options = solver ? { solver } : {};
  const own = simulateChunk(model, params, times, doses, options);
  const generic = simulateChunk(withoutStep(model), params, times, doses, options);
  return { own: Buffer.from(own.buffer), generic: Buffer.from(generic.buffer), values: own };
}

const hourly = (hours: number) => Float64Array.from({ length: hours * 4 + 1 }, (_, i) => i / 4);

describe("a model text's specialised solver step", () => {
  it('gives BM1 as four ODEs the same bits as the generic step', () => {
    const model = bm1TextModel('full ODE') as OdeModel;
    expect(model.step).toBeTypeOf('function');
    const params = bm1ParametersFor(model, 1, 20);
    for (const solver of [undefined, 'explicit'] as const) {
      const r = bothWays(model, params, bm1Times(), bm1Doses(), solver);
      expect(r.own.equals(r.generic)).toBe(true);
    }
  });

  it('gives a model with if() the same bits, with bolus doses and an infusion', () => {
    const path = new URL('../../golden/model-language/emax_if.model', import.meta.url);
    const model = compileModelText(readFileSync(path, 'utf8')).model as OdeModel;
    expect(model.step).toBeTypeOf('function');
    const params = Float64Array.from(model.parameters.map((p) => p.value));
    const doses: Dose[] = [
      { time: 0, amount: 100, target: 'A' },
      { time: 30, amount: 50, target: 'A', duration: 6 },
      { time: 48, amount: 100, target: 'A' }
    ];
    const r = bothWays(model, params, hourly(96), doses);
    expect(r.own.equals(r.generic)).toBe(true);
    expect(r.values.every(Number.isFinite)).toBe(true);
  });

  it('gives a model with time in its equations and cached individual quantities the same bits', () => {
    const text = [
      'model timed',
      'parameters',
      '  K = 0.3 [1/h]',
      '  V = 20 [L]',
      '  KIN = 4 [1/h]',
      '  KOUT = 0.2 [1/h]',
      '  PERIOD = 24 [h]',
      '  CREF = 1 [mg/L]',
      'individual',
      '  KE = K * exp(0.1 * sqrt(V / 20)) [1/h]',
      'states',
      '  A [mg]',
      '  B [mg]',
      '  R(0) = KIN / KOUT [1]',
      'odes',
      '  conc = A / V [mg/L]',
      '  d/dt(A) = -KE * A',
      '  d/dt(B) = KE * A - 0.1 * B',
      '  d/dt(R) = KIN * (1 + 0.2 * exp(-t / PERIOD)) - KOUT * R * if(conc > CREF, 1 + conc / CREF, 1)',
      'outputs',
      '  C = conc [mg/L]',
      '  E = R [1]',
      'doses',
      '  bolus -> A',
      ''
    ].join('\n');
    const model = compileModelText(text).model as OdeModel;
    expect(model.step).toBeTypeOf('function');
    const params = Float64Array.from(model.parameters.map((p) => p.value));
    const doses: Dose[] = [0, 12, 24].map((time) => ({ time, amount: 80, target: 'bolus' }));
    const r = bothWays(model, params, hourly(72), doses);
    expect(r.own.equals(r.generic)).toBe(true);
  });

  it("gives a PK/PD text's PD block with several states a step of its own that agrees with the generic one", () => {
    // The step reads the stage concentrations from powers of one exp per PK mode, so its
    // bits differ from the generic step's (one exp per mode and stage); at tight tolerances
    // both converge to the same solution.
    const file = 'pk1cmt_oral_fpg_hba1c.model';
    const text = readFileSync(new URL(`../../../models/${file}`, import.meta.url), 'utf8');
    const model = compileModelText(text, file).model as PkPdModel;
    expect(model.pd!.step).toBeTypeOf('function');
    const generic: PkPdModel = { ...model, pd: { ...model.pd! } };
    delete generic.pd!.step;
    const params = Float64Array.from(model.parameters, (p) => p.value);
    params[model.parameters.findIndex((p) => p.name === 'DP')] = 4e-6;
    const doses: Dose[] = Array.from({ length: 28 }, (_, d) => ({
      time: 24 * d,
      amount: 100,
      target: 'depot'
    }));
    const times = Float64Array.from({ length: 57 }, (_, k) => 12 * k);
    for (const [rtol, within] of [
      [1e-10, 1e-9],
      [1e-6, 2e-5]
    ]) {
      const options = { rtol, atol: rtol * 1e-3 };
      const own = simulateChunk(model, params, times, doses, options);
      const other = simulateChunk(generic, params, times, doses, options);
      expect(maxRelativeDifference(own, other, 1e-9)).toBeLessThan(within);
      expect(own.every(Number.isFinite)).toBe(true);
    }
  });
});
