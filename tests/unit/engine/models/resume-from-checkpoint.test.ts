/**
 * A twin whose doses stop (treatment discontinuation) or change (titration) from time t on
 * is simulated again from the last dose segment before t, not from 0: the result must be
 * the same to the bit as simulating the new regimen from the start, on every hybrid path
 * (the one-state scalar solver, a model text's own step with several states,
 * Dormand–Prince with stiffness detection, Rosenbrock) and with a lag time, whose
 * absorption events trail the doses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../../src/lib/engine/model-language';
import {
  HybridSimulator,
  resolveRegimen,
  typicalParameters,
  type Dose,
  type PkPdModel,
  type SimulationOptions
} from '../../../../src/lib/engine/models';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const model = (file: string) =>
  compileModelText(readFileSync(`${ROOT}models/${file}`, 'utf8'), file).model as PkPdModel;

const times = Float64Array.from({ length: 29 }, (_, k) => k * 24); // daily to day 28
const daily = (amount: number): Dose[] =>
  Array.from({ length: 28 }, (_, d) => ({ time: d * 24, amount, target: 'depot' }));

/** Outputs of the regimen after `first`, simulated whole and resumed at `from`. */
function wholeAndResumed(
  file: string,
  from: number,
  options: SimulationOptions = {},
  change: (p: Float64Array) => void = () => {}
) {
  const m = model(file);
  const p = typicalParameters(m);
  change(p);
  const doses = daily(100);
  const stopped = doses.filter((d) => d.time < from);
  const size = m.outputs.length * times.length;
  const whole = new Float64Array(size);
  new HybridSimulator(m, options).simulateTwin(p, 0, resolveRegimen(m, stopped), times, whole, 7);
  const resumed = new Float64Array(size);
  const simulator = new HybridSimulator(m, options);
  simulator.simulateTwin(p, 0, resolveRegimen(m, doses), times, resumed, 7);
  const before = Float64Array.from(resumed);
  simulator.simulateTwin(p, 0, resolveRegimen(m, stopped), times, resumed, 7, from);
  return { whole, resumed, before };
}

describe('resuming a twin at a change of its doses', () => {
  const cases: [string, string, SimulationOptions][] = [
    ['one state (scalar solver)', 'pk1cmt_oral_idr1.model', {}],
    ['two states (the model text’s own step)', 'pk1cmt_oral_fpg_hba1c.model', {}],
    ['three states, explicit solver', 'pk1cmt_oral_transit3.model', { solver: 'explicit' }],
    ['three states, stiff solver', 'pk1cmt_oral_transit3.model', { solver: 'stiff' }]
  ];
  for (const [name, file, options] of cases) {
    for (const from of [24 * 9, 24 * 9 + 7.5]) {
      it(`${name}, stopped at ${from} h, equals the whole simulation to the bit`, () => {
        const { whole, resumed, before } = wholeAndResumed(file, from, options);
        expect(Array.from(resumed)).toEqual(Array.from(whole));
        // and the change mattered: the test would see a resume that ignored it
        expect(Array.from(resumed)).not.toEqual(Array.from(before));
      });
    }
  }

  it('with the doses raised from t on (titration) rather than stopped', () => {
    const m = model('pk1cmt_oral_fpg_hba1c.model');
    const p = typicalParameters(m);
    const from = 24 * 6 + 2;
    const raised = daily(100).map((d) => (d.time > from ? { ...d, amount: 200 } : d));
    const size = m.outputs.length * times.length;
    const whole = new Float64Array(size);
    new HybridSimulator(m).simulateTwin(p, 0, resolveRegimen(m, raised), times, whole, 9);
    const resumed = new Float64Array(size);
    const simulator = new HybridSimulator(m);
    simulator.simulateTwin(p, 0, resolveRegimen(m, daily(100)), times, resumed, 9);
    simulator.simulateTwin(p, 0, resolveRegimen(m, raised), times, resumed, 9, from);
    expect(Array.from(resumed)).toEqual(Array.from(whole));
  });

  it('with an absorption lag, whose events trail the doses', () => {
    const { whole, resumed } = wholeAndResumed('pk1cmt_oral_transit3.model', 24 * 5, {}, (p) => {
      p[4] = 3; // TLAG (h)
    });
    expect(Array.from(resumed)).toEqual(Array.from(whole));
  });

  it('simulates from the start when the twin is not the last one simulated', () => {
    const m = model('pk1cmt_oral_fpg_hba1c.model');
    const p = typicalParameters(m);
    const q = Float64Array.from(p);
    q[0] *= 2; // another twin: twice the clearance
    const stopped = resolveRegimen(
      m,
      daily(100).filter((d) => d.time < 240)
    );
    const size = m.outputs.length * times.length;
    const whole = new Float64Array(size);
    new HybridSimulator(m).simulateTwin(q, 0, stopped, times, whole, 8);
    const out = new Float64Array(size);
    const simulator = new HybridSimulator(m);
    simulator.simulateTwin(p, 0, resolveRegimen(m, daily(100)), times, out, 8);
    simulator.simulateTwin(q, 0, stopped, times, out, 8, 240);
    expect(Array.from(out)).toEqual(Array.from(whole));
  });
});
