/**
 * The engine's chunk API: a block of twins as typed arrays in, typed arrays out, so a
 * worker can run any twin range and results are identical whatever the chunking.
 *
 *   params  Float64Array, nTwins × nParams, row-major, model.parameters order
 *   times   Float64Array of output times (h), sorted, ≥ 0
 *   doses   the regimen (shared by the chunk; per-twin F, lag from params)
 *   result  Float64Array, nTwins × nOutputs × nTimes: out[(row·nOutputs + o)·nTimes + k]
 *
 * A caller that runs chunk after chunk may pass its own result buffer (`out`, at least
 * nTwins × nOutputs × nTimes long, every element is overwritten): first writes to fresh
 * memory cost page faults, which in some sandboxes take a third of the simulation time.
 */
import { ClosedFormSimulator } from './closedFormSimulator';
import { toOdeModel } from './composePkPd';
import { resolveRegimen, type Dose } from './dosing';
import { HybridSimulator } from './hybridSimulator';
import type { ModelDefinition } from './modelDefinition';
import { OdeSimulator } from './odeSimulator';
import type { SimulationOptions, TwinSimulator } from './twinSimulator';

/** The simulator a model and options select (reusable across chunks of the same model). */
export function createTwinSimulator(model: ModelDefinition, options: SimulationOptions = {}): TwinSimulator {
  const mode = options.mode ?? 'auto';
  if (model.kind === 'ode') {
    if (mode === 'closedForm' || mode === 'hybrid') {
      throw new Error(`model ${model.name} is a generic ODE model: mode '${mode}' needs a linear PK model`);
    }
    return new OdeSimulator(model, options);
  }
  const pdStates = model.pd ? model.pd.states.length : 0;
  if (mode === 'ode') return new OdeSimulator(toOdeModel(model), options);
  if (mode === 'closedForm' && pdStates > 0) {
    throw new Error(`model ${model.name} has PD states: closed form is impossible, use 'hybrid' or 'ode'`);
  }
  return pdStates === 0 ? new ClosedFormSimulator(model) : new HybridSimulator(model, options);
}

export function validateTimes(times: Float64Array): void {
  for (let k = 0; k < times.length; k++) {
    if (!(Number.isFinite(times[k]) && times[k] >= 0))
      throw new Error(`times[${k}] must be ≥ 0, got ${times[k]}`);
    if (k > 0 && times[k] < times[k - 1])
      throw new Error(`times must be sorted: times[${k}] < times[${k - 1}]`);
  }
}

export function simulateChunk(
  model: ModelDefinition,
  params: Float64Array,
  times: Float64Array,
  doses: readonly Dose[],
  options: SimulationOptions = {},
  simulator: TwinSimulator = createTwinSimulator(model, options),
  out?: Float64Array
): Float64Array {
  const nP = model.parameters.length;
  if (params.length % nP !== 0) {
    throw new Error(
      `params length ${params.length} is not a multiple of the ${nP} parameters of ${model.name}`
    );
  }
  validateTimes(times);
  const nTwins = params.length / nP;
  const regimen = resolveRegimen(model, doses);
  const size = nTwins * model.outputs.length * times.length;
  if (out && out.length < size) {
    throw new Error(
      `out has length ${out.length}, needs ${size} (${nTwins} twins × ${model.outputs.length} outputs × ${times.length} times)`
    );
  }
  const result = out ?? new Float64Array(size);
  const firstId = options.firstTwinId ?? 1;
  for (let row = 0; row < nTwins; row++)
    simulator.simulateTwin(params, row, regimen, times, result, firstId + row);
  return result;
}
