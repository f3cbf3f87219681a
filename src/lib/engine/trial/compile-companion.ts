import {
  createTwinSimulator,
  IndividualParameterModel,
  ModelSpecError,
  parseModelSpec,
  type ModelDefinition,
  type TwinSimulator
} from '../models';
import type { IssueList, SpecPath } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import type { TrialCohort } from './compile-trial-cohort';
import { modelSpecIssues, uniqueIivParameters } from './model-spec-issues';

/**
 * The second drug of combination arms: its own model, individual parameters (drawn
 * from streams of their own) and simulator; its effect output is added to the primary
 * model's output before residual error (response additivity).
 */
export interface CompiledCompanion {
  name: string;
  model: ModelDefinition;
  parameters: IndividualParameterModel;
  covariateSlots: Int32Array;
  simulator: TwinSimulator;
  /** Its effect output and the primary output that receives it. */
  from: number;
  to: number;
}

/** Compiles the protocol's companion drug, if it has one; problems go to `issues`. */
export function compileCompanion(
  protocol: ProtocolSpec,
  cohort: TrialCohort,
  outputIndex: (name: string, path: SpecPath) => number,
  issues: IssueList
): CompiledCompanion | undefined {
  const c = protocol.companion;
  if (!c) return undefined;
  try {
    const parsed = parseModelSpec(c.model, 'companion.model');
    uniqueIivParameters(issues, parsed.spec, ['companion', 'model']);
    const names = [
      ...new Set([
        ...(parsed.spec.covariates ?? []).map((e) => e.covariate),
        ...(parsed.model.covariateEffects?.covariates ?? [])
      ])
    ];
    const slots = Int32Array.from(names, (n) => {
      const slot = cohort.slotOf(n);
      if (slot < 0)
        issues.add(
          ['companion', 'model', 'covariates'],
          `the cohort has no covariate '${n}' (has ${cohort.names})`
        );
      return Math.max(slot, 0);
    });
    const from = parsed.model.outputs.findIndex((o) => o.name === c.effect.output);
    if (from < 0) {
      issues.add(
        ['companion', 'effect', 'output'],
        `model ${parsed.model.name} has no output '${c.effect.output}' (outputs: ${parsed.model.outputs.map((o) => o.name).join(', ')})`
      );
    }
    const to = outputIndex(c.effect.on, ['companion', 'effect', 'on']);
    return {
      name: c.name,
      model: parsed.model,
      parameters: new IndividualParameterModel(parsed.model, parsed.spec, names),
      covariateSlots: slots,
      simulator: createTwinSimulator(parsed.model, parsed.spec.solver ?? {}),
      from,
      to
    };
  } catch (e) {
    if (!(e instanceof ModelSpecError)) throw e;
    for (const issue of modelSpecIssues(e)) issues.add(issue.path, issue.message);
    return undefined;
  }
}
