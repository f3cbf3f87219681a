import { ModelSpecError, parseModelSpec, type ModelDefinition, type ModelSpec } from '../models';
import { SpecError } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import { modelSpecIssues } from './model-spec-issues';
import type { TrialCohort } from './compile-trial-cohort';

/**
 * The protocol's drug-effect model, with categorical covariate levels written as names
 * in the protocol turned into the cohort's level codes. Its problems are thrown with
 * their paths under `model`.
 */
export function compileTrialModel(
  protocol: ProtocolSpec,
  cohort: TrialCohort
): { model: ModelDefinition; modelSpec: ModelSpec } {
  try {
    const modelInput = structuredClone(protocol.model);
    for (const c of modelInput.covariates ?? []) {
      const slot = cohort.slotOf(c.covariate);
      const levels = slot >= 0 ? cohort.plan.columns[slot].levels : undefined;
      if (c.type === 'categorical' && levels) {
        c.multipliers = Object.fromEntries(
          Object.entries(c.multipliers).map(([k, v]) => [
            levels.includes(k) ? String(levels.indexOf(k)) : k,
            v
          ])
        );
      }
    }
    const { model, spec } = parseModelSpec(modelInput, 'model');
    return { model, modelSpec: spec };
  } catch (e) {
    if (e instanceof ModelSpecError) throw new SpecError(modelSpecIssues(e));
    throw e;
  }
}
