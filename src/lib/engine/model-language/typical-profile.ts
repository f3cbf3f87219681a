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
import { StepLimitError } from '../ode/stepLimitError';
import { firstNonFinite } from './first-non-finite';
import { SourceText } from './source-text';

export interface TypicalProfile {
  columns: string[];
  /** values[c][k]: column c at times[k]. */
  values: Float64Array[];
  /** The parameter values simulated (typical values with the overrides). */
  parameters: Float64Array;
}

/** Typical parameter values with overrides by name. */
export function parameterValues(
  compiled: CompiledModel,
  overrides: ReadonlyMap<string, number>
): Float64Array {
  const p = typicalParameters(compiled.model);
  compiled.model.parameters.forEach((d, i) => {
    const v = overrides.get(d.name);
    if (v !== undefined) p[i] = v;
  });
  return p;
}

export function typicalProfile(
  compiled: CompiledModel,
  p: Float64Array,
  doses: readonly Dose[],
  times: Float64Array
): TypicalProfile {
  const model = withStateOutputs(compiled.model);
  const out = simulateChunk(model, p, times, doses);
  const nT = times.length;
  const values = model.outputs.map((_, o) => out.slice(o * nT, (o + 1) * nT));
  const outputNames = new Set(compiled.model.outputs.map((o) => o.name));
  const stateNames = declaredStates(compiled.model).map((s) => (outputNames.has(s) ? `state.${s}` : s));
  return { columns: [...compiled.model.outputs.map((o) => o.name), ...stateNames], values, parameters: p };
}

/**
 * Why the solver stopped on a state or derivative that is not finite, at time t with
 * the states it reached: the concentration of a pk model when it is the culprit, else
 * the first statement that is not finite there.
 */
export function describeSolverFailure(
  compiled: CompiledModel,
  p: Float64Array,
  doses: readonly Dose[],
  t: number,
  y: readonly number[],
  file: string
): string | undefined {
  const model = compiled.model;
  const source = new SourceText(compiled.checked.text);
  let c = NaN;
  if (model.kind === 'pkpd') {
    const pkOnly = { ...model, pd: null, outputs: model.outputs.slice(0, 1) };
    c = simulateChunk(
      pkOnly,
      p,
      Float64Array.of(t),
      doses.filter((d) => d.time < t)
    )[0];
    if (!Number.isFinite(c)) {
      const { line, col } = source.position(compiled.checked.tree.pk!.offset);
      return `${file}:${line}:${col}: the concentration C is ${c} at t=${t} h: check the pk arguments' values`;
    }
  }
  const bad = firstNonFinite(compiled.checked, { parameters: p, t, y: Float64Array.from(y), c });
  if (!bad) return undefined;
  const { line, col } = source.position(bad.offset);
  return `${file}:${line}:${col}: ${bad.what} is ${bad.value} at t=${t} h`;
}

/**
 * Where a typical profile first stops being finite, and the model statement that makes
 * it so when one does (evaluated at that time from the profile's states), as one line:
 * `file:line:col: 'inhibition' is NaN at t=4 h` or, with no statement to blame, the
 * column and time. Undefined when every value is finite.
 */
export function describeNonFinite(
  compiled: CompiledModel,
  profile: TypicalProfile,
  times: Float64Array,
  file: string
): string | undefined {
  let k = -1;
  let column = -1;
  for (let i = 0; i < times.length && k < 0; i++)
    for (let c = 0; c < profile.values.length; c++)
      if (!Number.isFinite(profile.values[c][i])) {
        k = i;
        column = c;
        break;
      }
  if (k < 0) return undefined;
  const t = times[k];
  const nOut = compiled.model.outputs.length;
  const y = Float64Array.from(profile.values.slice(nOut), (v) => v[k]);
  const c = compiled.model.kind === 'pkpd' ? profile.values[0][k] : NaN;
  const bad = firstNonFinite(compiled.checked, { parameters: profile.parameters, t, y, c });
  const where = `${profile.columns[column]} is ${profile.values[column][k]} at t=${t} h`;
  if (!bad)
    return `${file}: ${where} (every statement of the model is finite there: check the parameter values)`;
  const { line, col } = new SourceText(compiled.checked.text).position(bad.offset);
  return `${file}:${line}:${col}: ${bad.what} is ${bad.value} at t=${t} h (${where})`;
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

/** A typical profile that cannot be shown, with the statement to blame when there is one. */
export class TypicalProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypicalProfileError';
  }
}

/**
 * `typicalProfile`, refused with a `TypicalProfileError` when the solver stops or a value
 * is not finite, naming the statement that first gives it (`file:line:col: …`). What
 * `twinbench model simulate` prints and the Models page shows.
 */
export function checkedTypicalProfile(
  compiled: CompiledModel,
  p: Float64Array,
  doses: readonly Dose[],
  times: Float64Array,
  file: string
): TypicalProfile {
  let profile: TypicalProfile;
  try {
    profile = typicalProfile(compiled, p, doses, times);
  } catch (e) {
    if (!(e instanceof StepLimitError)) throw e;
    const why = describeSolverFailure(compiled, p, doses, e.time, e.state, file);
    throw new TypicalProfileError(why ? `${why} (${e.message})` : `the simulation failed: ${e.message}`);
  }
  const nonFinite = describeNonFinite(compiled, profile, times, file);
  if (nonFinite) throw new TypicalProfileError(nonFinite);
  return profile;
}
