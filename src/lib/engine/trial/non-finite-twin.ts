/**
 * A twin whose parameters make its model give a value that is not finite (NaN or
 * ±Infinity) is an error, never a stored value: like a derived covariate that is not
 * finite, it says the model or its parameter distributions admit twins they should not.
 * The run fails with a `TwinSimulationError` naming the twin, arm, replicate, output and
 * time, and — for a model text — the first statement that is not finite there.
 */
import { compileModelText } from '../model-language';
import { checkedTypicalProfile, TypicalProfileError } from '../model-language/typical-profile';
import type { Dose, ModelDefinition, ModelSpec } from '../models';
import { TwinSimulationError } from './twin-simulation-error';

/** The first (output, time index) whose prediction is not finite, output by output. */
export function firstNonFinitePrediction(
  pred: Float64Array,
  nOut: number,
  nT: number
): { output: number; k: number } | undefined {
  const n = nOut * nT;
  // x * 0 is 0 for a finite x and NaN otherwise, so the sums stay 0 unless a value is
  // not finite: four independent sums, no branch per value (about 1% of BM1's time per
  // twin with one comparison per value, a few times less so).
  let a = 0,
    b = 0,
    c = 0,
    d = 0,
    i = 0;
  for (; i + 3 < n; i += 4) {
    a += pred[i] * 0;
    b += pred[i + 1] * 0;
    c += pred[i + 2] * 0;
    d += pred[i + 3] * 0;
  }
  for (; i < n; i++) a += pred[i] * 0;
  if (a + b + c + d === 0) return undefined;
  for (i = 0; i < n; i++) {
    const x = pred[i];
    if (x - x !== 0) return { output: Math.floor(i / nT), k: i % nT };
  }
  return undefined;
}

/**
 * Throws a TwinSimulationError (`${twin}: why`) when a twin's predictions (nOut × times,
 * before residual error) hold a value that is not finite.
 */
export function failIfNotFinite(
  twin: string,
  id: number,
  ref: ModelSpec['model'],
  model: ModelDefinition,
  params: Float64Array,
  doses: readonly Dose[],
  times: Float64Array,
  pred: Float64Array
): void {
  const bad = firstNonFinitePrediction(pred, model.outputs.length, times.length);
  if (!bad) return;
  const value = pred[bad.output * times.length + bad.k];
  throw new TwinSimulationError(
    `${twin}: ${whyNotFinite(ref, model, params, doses, times, { ...bad, value })}`,
    id
  );
}

/**
 * Why a twin's simulation is not finite, as one line: for a model text the statement
 * that first gives such a value (`models/x.model:21:12: 'inhibition' is NaN at t=4 h`),
 * found by simulating the twin's parameters again with its states traced; else the
 * prediction itself. `failure` is the solver's message when it stopped instead.
 */
export function whyNotFinite(
  ref: ModelSpec['model'],
  model: ModelDefinition,
  params: Float64Array,
  doses: readonly Dose[],
  times: Float64Array,
  found: { output: number; k: number; value: number } | { failure: string }
): string {
  const traced =
    typeof ref === 'string' || ref.text === undefined
      ? undefined
      : statementToBlame(ref, params, doses, times);
  if ('failure' in found) return traced ? `${traced} (${found.failure})` : found.failure;
  const what = `output '${model.outputs[found.output].name}' is ${found.value} at t=${times[found.k]} h`;
  return traced ?? `${what}: check the twin's parameter values`;
}

function statementToBlame(
  ref: { text?: string; file?: string },
  params: Float64Array,
  doses: readonly Dose[],
  times: Float64Array
): string | undefined {
  const file = ref.file ?? 'model';
  try {
    checkedTypicalProfile(
      compileModelText(ref.text!, file),
      params,
      doses,
      Float64Array.from(times).sort(),
      file
    );
  } catch (e) {
    if (e instanceof TypicalProfileError) return e.message;
  }
  return undefined;
}
