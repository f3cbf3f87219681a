import { CohortGenerationError } from './generation-error';
import { StepOp, type CohortPlan } from './plan';

/**
 * Every covariate of a twin is a finite number. A derived value of ±Infinity or NaN
 * (`weight / 0`, `log(-weight)`) or a distribution that overflows is a mistake in the
 * spec, never a value to store: the error names the covariate, the twin and the values
 * the covariate was computed from. Only twins that met the criteria are checked, so a
 * criterion may exclude the candidates for which an expression is undefined.
 */
export function checkFinite(plan: CohortPlan, v: Float64Array, twinId: number): void {
  for (let c = 0; c < v.length; c++) {
    if (!Number.isFinite(v[c])) throw notFinite(plan, v, twinId, c);
  }
}

function notFinite(plan: CohortPlan, v: Float64Array, twinId: number, slot: number): CohortGenerationError {
  const column = plan.columns[slot];
  const value = Number.isNaN(v[slot]) ? 'not a number (NaN)' : String(v[slot]);
  const step = plan.steps.find((s) => s.slot === slot);
  if (step?.op === StepOp.Compute) {
    const from = Array.from(step.inputs, (k) => `${plan.columns[k].name} = ${shown(plan, v, k)}`);
    return new CohortGenerationError(
      `twin ${twinId}: derived covariate '${column.name}' is ${value}` +
        (from.length ? ` (from ${from.join(', ')})` : '') +
        `; a derived value must be a finite number: check its formula or expression ` +
        `(or add a criterion that excludes such twins)`,
      twinId
    );
  }
  const what = step?.op === StepOp.Import ? 'check the imported file' : 'check its distribution';
  return new CohortGenerationError(`twin ${twinId}: covariate '${column.name}' is ${value}; ${what}`, twinId);
}

/** A value as a person reads it: a level name for categorical columns. */
function shown(plan: CohortPlan, v: Float64Array, slot: number): string {
  const levels = plan.columns[slot].levels;
  return levels ? `'${levels[v[slot]] ?? v[slot]}'` : String(v[slot]);
}
