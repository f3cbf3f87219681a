import { compileExpression, ExpressionError, parseExpression, type Evaluator } from '../expr';
import type { ModelDefinition } from '../models';
import { checkUnique, type IssueList, type SpecPath } from '../../spec/issues';
import type { Arm, ProtocolSpec, Regimen } from '../../spec/protocol-schema';
import type { CompiledCompanion } from './compile-companion';
import type { TrialCohort } from './compile-trial-cohort';

/** An arm checked against the model and cohort. */
export interface CompiledArm {
  name: string;
  placebo: boolean;
  regimen?: Regimen;
  /** Dose target slot name. */
  target: string;
  titration: { at: number; obsIndex: number; condition: Evaluator; dose: number }[];
  /** The second drug's regimen in a combination arm, as an arm of the companion model. */
  companion?: CompiledArm;
}

/** What arms are checked against, from the rest of the protocol's compilation. */
export interface ArmContext {
  protocol: ProtocolSpec;
  model: ModelDefinition;
  cohort: TrialCohort;
  companion: CompiledCompanion | undefined;
  /** Outputs recorded as observations (titration rules read these). */
  observed: number[];
  /** Observation index of the visit at time t (an issue at `path` if t is no visit). */
  visitIndex(t: number, path: SpecPath): number;
  issues: IssueList;
}

/** A model's default dose target: its depot, or its first target. */
function defaultTarget(model: ModelDefinition | undefined): string | undefined {
  return model?.doseTargets.some((t) => t.name === 'depot') ? 'depot' : model?.doseTargets[0]?.name;
}

/** Compiles the arms: regimens, titration rules and a combination arm's companion regimen. */
export function compileArms(ctx: ArmContext): CompiledArm[] {
  const { protocol, model, cohort, companion, observed, issues } = ctx;
  const sched = protocol.schedule;
  const outputNames = model.outputs.map((o) => o.name);
  const companionTarget = defaultTarget(companion?.model);
  checkUnique(
    issues,
    'arm names',
    protocol.arms.map((a, i) => ({ name: a.name, path: ['arms', i, 'name'] }))
  );
  const primaryTarget = defaultTarget(model);
  return protocol.arms.map((arm: Arm, a) => {
    const path: SpecPath = ['arms', a];
    const r = arm.regimen;
    if (!arm.placebo && !r && !arm.companion)
      issues.add(path, `an active arm needs a regimen (or placebo: true)`);
    const target = r?.target ?? primaryTarget ?? '';
    if (r) {
      if (!model.doseTargets.some((t) => t.name === target)) {
        issues.add(
          [...path, 'regimen', 'target'],
          `model ${model.name} has no dose target '${target}' (has ${model.doseTargets.map((t) => t.name).join(', ')})`
        );
      }
      if (r.doses !== undefined && r.duration !== undefined)
        issues.add([...path, 'regimen'], `give doses or duration, not both`);
      if ((r.doses ?? 1) > 1 && r.interval === undefined)
        issues.add([...path, 'regimen', 'interval'], `several doses need an interval`);
      if (r.start > sched.duration)
        issues.add([...path, 'regimen', 'start'], `dosing starts after the end of the study`);
      if (r.unit === 'mg/kg' && cohort.slotOf('weight') < 0)
        issues.add([...path, 'regimen', 'unit'], `mg/kg dosing needs a cohort covariate 'weight' (kg)`);
      if (r.unit === 'mg/m2' && cohort.slotOf('bsa') < 0)
        issues.add([...path, 'regimen', 'unit'], `mg/m2 dosing needs a cohort covariate 'bsa' (m²)`);
    }
    const titration = arm.titration.map((rule, k) => {
      const tpath: SpecPath = [...path, 'titration', k];
      const obsIndex = ctx.visitIndex(rule.at, [...tpath, 'at']);
      let condition: Evaluator = () => 0;
      try {
        const observedNames = observed.filter((o) => o >= 0).map((o) => outputNames[o]);
        condition = compileExpression(parseExpression(rule.if), {
          source: rule.if,
          lookup: (n) => {
            const idx = observedNames.indexOf(n);
            return idx < 0 ? undefined : { slot: outputNames.indexOf(n) };
          },
          knownNames: () => observedNames
        });
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        issues.add([...tpath, 'if'], `${e.message.replace('unknown variable', 'not an observed output:')}`);
      }
      if (!r) issues.add(tpath, `titration needs a regimen`);
      return { at: rule.at, obsIndex, condition, dose: rule.dose };
    });
    let companionArm: CompiledArm | undefined;
    if (arm.companion) {
      if (!companion)
        issues.add(
          [...path, 'companion'],
          `a combination arm needs the protocol's companion (the second drug)`
        );
      const ct = arm.companion.target ?? companionTarget ?? '';
      if (companion && !companion.model.doseTargets.some((t) => t.name === ct)) {
        issues.add(
          [...path, 'companion', 'target'],
          `model ${companion.model.name} has no dose target '${ct}'`
        );
      }
      companionArm = {
        name: `${arm.name} (${protocol.companion?.name ?? 'companion'})`,
        placebo: false,
        regimen: arm.companion,
        target: ct,
        titration: []
      };
    }
    return { name: arm.name, placebo: arm.placebo, regimen: r, target, titration, companion: companionArm };
  });
}
