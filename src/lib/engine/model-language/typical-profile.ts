/**
 * The typical individual of a compiled model (typical parameter values with overrides,
 * no variability, no residual error) under a list of doses: one column per output, then
 * one per declared state, at the requested times. The states are read by wrapping the
 * model's output function, so every simulation path (closed form, hybrid, ODE) serves.
 */
import {
  simulateChunk,
  typicalParameters,
  type Dose,
  type ModelDefinition,
  type OdeModel,
  type PdDeclaration
} from '../models';
import type { CompiledModel } from './compile-model';

export interface TypicalProfile {
  columns: string[];
  /** values[c][k]: column c at times[k]. */
  values: Float64Array[];
}

export function typicalProfile(
  compiled: CompiledModel,
  parameters: ReadonlyMap<string, number>,
  doses: readonly Dose[],
  times: Float64Array
): TypicalProfile {
  const model = withStateOutputs(compiled.model);
  const p = typicalParameters(model);
  model.parameters.forEach((d, i) => {
    const v = parameters.get(d.name);
    if (v !== undefined) p[i] = v;
  });
  const out = simulateChunk(model, p, times, doses);
  const nT = times.length;
  const values = model.outputs.map((_, o) => out.slice(o * nT, (o + 1) * nT));
  const outputNames = new Set(compiled.model.outputs.map((o) => o.name));
  const stateNames = declaredStates(compiled.model).map((s) => (outputNames.has(s) ? `state.${s}` : s));
  return { columns: [...compiled.model.outputs.map((o) => o.name), ...stateNames], values };
}

function declaredStates(model: ModelDefinition): string[] {
  if (model.kind === 'ode') return model.states.map((s) => s.name);
  return model.pd ? model.pd.states.map((s) => s.name) : [];
}

/** The same model with its declared states appended to its outputs. */
function withStateOutputs(model: ModelDefinition): ModelDefinition {
  const states = declaredStates(model);
  if (!states.length) return model;
  const extra = states.map((name) => ({ name, unit: '', description: 'state' }));
  if (model.kind === 'ode') {
    const n = model.outputs.length;
    const own = new Float64Array(n);
    const output: OdeModel['output'] = (t, y, p, out) => {
      model.output(t, y, p, own);
      out.set(own);
      for (let i = 0; i < y.length; i++) out[n + i] = y[i];
    };
    return { ...model, outputs: [...model.outputs, ...extra], output };
  }
  const pd = model.pd!;
  const n = pd.outputs.length;
  const own = new Float64Array(n);
  const output: PdDeclaration['output'] = (t, y, q, c, out) => {
    pd.output(t, y, q, c, own);
    out.set(own);
    for (let i = 0; i < y.length; i++) out[n + i] = y[i];
  };
  return {
    ...model,
    outputs: [...model.outputs, ...extra],
    pd: { ...pd, outputs: [...pd.outputs, ...extra], output }
  };
}
