import { calibratedCohortSpec, posteriorParameters } from '../calibration/calibrated-cohort';
import { compileCohort, type ImportedTable } from '../cohort';
import type { CohortPlan } from '../cohort/plan';
import { compileExpression, ExpressionError, parseExpression, type Evaluator } from '../expr';
import {
  createTwinSimulator,
  IndividualParameterModel,
  ModelSpecError,
  parseModelSpec,
  ResidualErrorModel,
  type ModelDefinition,
  type ModelSpec,
  type TwinSimulator
} from '../models';
import type { ParameterSource } from '../models/parameter-source';
import { checkUnique, IssueList, SpecError, type SpecIssue, type SpecPath } from '../../spec/issues';
import type { Arm, ProtocolSpec, Regimen } from '../../spec/protocol-schema';
import type { AllocationPlan } from './allocate';
import { compileEndpoints, type CompiledEndpoint } from './compile-endpoints';
import { compileSchedule, visitObservation } from './compile-schedule';
import { checkProtocolSize } from './protocol-size';

/**
 * A protocol checked against its cohort and model and compiled for simulation. Like a
 * cohort plan it holds closures, so each worker compiles its own from the resolved
 * (serialisable) protocol.
 */
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

export type { CompiledEndpoint } from './compile-endpoints';

export interface TrialPlan {
  protocol: ProtocolSpec;
  cohort: CohortPlan;
  model: ModelDefinition;
  modelSpec: ModelSpec;
  /** The population model, or each twin's posterior for a cohort of calibrated twins. */
  parameters: ParameterSource;
  /** Names of the covariates the parameter model reads, in its column order. */
  covariateNames: readonly string[];
  /** Per-replicate uncertainty of typical values: parameter index and SD of its log. */
  uncertainty: { parameter: number; sd: number }[];
  companion?: CompiledCompanion;
  /** Crossover: the washout between periods (h); undefined for other designs. */
  washout?: number;
  /** Cohort column slot of each covariate the parameter source reads (`covariateNames`). */
  covariateSlots: Int32Array;
  /** Parameters taken from twin covariates: parameter index → cohort slot. */
  individual: { parameter: number; slot: number }[];
  simulator: TwinSimulator;
  residual: ResidualErrorModel;
  arms: CompiledArm[];
  allocation: AllocationPlan;
  strataSlots: number[];
  /** Observation grid (h): visits, PK samples and the dense grid, sorted and unique. */
  times: Float64Array;
  /** Observation index of each visit; visit 0 is baseline. */
  visitIndex: Int32Array;
  visitWindow: Float64Array;
  /** Outputs recorded as observations. */
  observed: number[];
  /**
   * Indices into `times` of the visits and PK samples (every index without a dense grid).
   * NCA and residual-error draws use these only, so storing dense profiles changes no
   * visit observation or endpoint.
   */
  sampledIndex: Int32Array;
  /** The dense grid's other indices (none without a dense grid). */
  denseOnlyIndex: Int32Array;
  endpoints: CompiledEndpoint[];
  primary: number;
  dropout?: { rate: number; informative?: { output: number; coefficient: number } };
  adherence?: { missed: number; stayMissing?: number };
  /** Cohort slots for weight and BSA (mg/kg and mg/m² dosing), -1 when absent. */
  weightSlot: number;
  bsaSlot: number;
}

/** A protocol whose cohort is inline (the file, if any, has been read). */
export type ResolvedProtocol = ProtocolSpec & {
  cohort: { spec: NonNullable<ProtocolSpec['cohort']['spec']> };
  /** The cohort's imported twins, when it imports them (a calibrated cohort: its fits file). */
  imported?: ImportedTable;
};

export function compileProtocol(protocol: ResolvedProtocol): TrialPlan {
  const issues = new IssueList();
  const calibration = protocol.cohort.calibration;
  // A cohort of calibrated twins imports its fits file; its size decides the resampling.
  const cohortSpec = calibration
    ? calibratedCohortSpec(calibration, protocol.cohort.n, protocol.imported?.rows)
    : protocol.cohort.spec;
  let cohort: CohortPlan;
  try {
    cohort = compileCohort(
      { ...cohortSpec, seed: protocol.seed, n: protocol.cohort.n ?? cohortSpec.n },
      protocol.imported
    );
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const inCohort = (path: SpecPath): SpecPath =>
      // n given in the protocol (or as an override) is checked by the cohort compiler
      path[0] === 'n' && protocol.cohort.n !== undefined
        ? ['cohort', 'n']
        : calibration
          ? ['cohort', 'calibration', 'file']
          : ['cohort', 'spec', ...path];
    throw e.with((i) => ({ ...i, path: inCohort(i.path), related: i.related && inCohort(i.related) }));
  }
  const slotOf = (name: string) => cohort.columns.findIndex((c) => c.name === name);
  const cohortNames = cohort.columns.map((c) => c.name).join(', ');

  // The model, with categorical covariate levels written as names in the protocol.
  let model: ModelDefinition;
  let modelSpec: ModelSpec;
  try {
    const modelInput = structuredClone(protocol.model);
    for (const c of modelInput.covariates ?? []) {
      const slot = slotOf(c.covariate);
      const levels = slot >= 0 ? cohort.columns[slot].levels : undefined;
      if (c.type === 'categorical' && levels) {
        c.multipliers = Object.fromEntries(
          Object.entries(c.multipliers).map(([k, v]) => [
            levels.includes(k) ? String(levels.indexOf(k)) : k,
            v
          ])
        );
      }
    }
    ({ model, spec: modelSpec } = parseModelSpec(modelInput, 'model'));
  } catch (e) {
    if (e instanceof ModelSpecError) {
      throw new SpecError(modelSpecIssues(e));
    }
    throw e;
  }
  const outputNames = model.outputs.map((o) => o.name);
  uniqueIivParameters(issues, modelSpec, ['model']);
  const outputIndex = (name: string, path: SpecPath): number => {
    const i = outputNames.indexOf(name);
    if (i < 0)
      issues.add(path, `model ${model.name} has no output '${name}' (outputs: ${outputNames.join(', ')})`);
    return i;
  };

  const covariateNames = (modelSpec.covariates ?? []).map((c) => c.covariate);
  // A model text's own covariate statements name cohort covariates too.
  const modelCovariates = model.covariateEffects?.covariates ?? [];
  const uniqueCovariates = [...new Set([...covariateNames, ...modelCovariates])];
  const covariateSlots = Int32Array.from(uniqueCovariates, (n) => {
    const s = slotOf(n);
    if (s < 0) {
      const at = covariateNames.indexOf(n);
      issues.add(
        at >= 0 ? ['model', 'covariates', at, 'covariate'] : ['model', 'model'],
        `the cohort has no covariate '${n}' (has ${cohortNames})`
      );
    }
    return s < 0 ? 0 : s;
  });
  const individual = Object.entries(protocol.individual).map(([param, column]) => {
    const parameter = model.parameters.findIndex((p) => p.name === param);
    if (parameter < 0) {
      issues.add(
        ['individual', param],
        `model ${model.name} has no parameter '${param}' (has ${model.parameters.map((p) => p.name).join(', ')})`
      );
    }
    const slot = slotOf(column);
    if (slot < 0)
      issues.add(['individual', param], `the cohort has no covariate '${column}' (has ${cohortNames})`);
    return { parameter: Math.max(parameter, 0), slot: Math.max(slot, 0) };
  });

  const uncertainty = Object.entries(protocol.uncertainty).map(([param, sd]) => {
    const parameter = model.parameters.findIndex((p) => p.name === param);
    if (parameter < 0) {
      issues.add(
        ['uncertainty', param],
        `model ${model.name} has no parameter '${param}' (has ${model.parameters.map((p) => p.name).join(', ')})`
      );
    }
    return { parameter, sd };
  });

  const importSpec = cohortSpec.import;
  if (importSpec && !importSpec.bootstrap) {
    if (cohortSpec.criteria.length) {
      issues.add(
        ['cohort'],
        `criteria on imported twins need import.bootstrap: true in a trial (twin i is row i otherwise)`
      );
    }
    const n = protocol.cohort.n ?? cohortSpec.n;
    if (protocol.imported && n > protocol.imported.rows) {
      issues.add(
        ['cohort', 'n'],
        `${n} twins asked for, but the imported file has ${protocol.imported.rows} rows (set bootstrap: true to resample)`
      );
    }
  }

  let washout: number | undefined;
  if (protocol.design === 'crossover') {
    if (protocol.arms.length !== 2)
      issues.add(['arms'], `a 2×2 crossover needs exactly 2 arms, got ${protocol.arms.length}`);
    if (!protocol.crossover) issues.add(['crossover'], `a crossover design needs crossover.washout`);
    washout = protocol.crossover?.washout ?? 0;
    protocol.arms.forEach((a, i) => {
      if (a.titration.length)
        issues.add(['arms', i, 'titration'], `titration is not supported in a crossover design`);
    });
    protocol.endpoints.forEach((e, i) => {
      if (e.type === 'tte')
        issues.add(
          ['endpoints', i, 'type'],
          `time-to-event endpoints are not supported in a crossover design`
        );
    });
    if (protocol.dropout?.informative) {
      issues.add(['dropout', 'informative'], `informative dropout is not supported in a crossover design`);
    }
  } else if (protocol.crossover) {
    issues.add(['crossover'], `crossover settings need design: crossover`);
  }

  // Schedule: the observation grid.
  const sched = protocol.schedule;
  const grid = compileSchedule(sched, issues);
  const obsIndexOf = (t: number, path: SpecPath) => visitObservation(grid, t, path, issues);

  const observed = (protocol.observe ?? outputNames).map((n, i) => outputIndex(n, ['observe', i]));
  checkUnique(
    issues,
    'observed outputs',
    (protocol.observe ?? []).map((name, i) => ({ name, path: ['observe', i] }))
  );

  // The second drug of combination arms.
  let companion: CompiledCompanion | undefined;
  if (protocol.companion) {
    const c = protocol.companion;
    try {
      const parsed = parseModelSpec(c.model, 'companion.model');
      uniqueIivParameters(issues, parsed.spec, ['companion', 'model']);
      const names2 = [
        ...new Set([
          ...(parsed.spec.covariates ?? []).map((e) => e.covariate),
          ...(parsed.model.covariateEffects?.covariates ?? [])
        ])
      ];
      const slots = Int32Array.from(names2, (n) => {
        const slot = slotOf(n);
        if (slot < 0)
          issues.add(
            ['companion', 'model', 'covariates'],
            `the cohort has no covariate '${n}' (has ${cohortNames})`
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
      companion = {
        name: c.name,
        model: parsed.model,
        parameters: new IndividualParameterModel(parsed.model, parsed.spec, names2),
        covariateSlots: slots,
        simulator: createTwinSimulator(parsed.model, parsed.spec.solver ?? {}),
        from,
        to
      };
    } catch (e) {
      if (!(e instanceof ModelSpecError)) throw e;
      for (const issue of modelSpecIssues(e)) issues.add(issue.path, issue.message);
    }
  }
  const companionTarget = companion?.model.doseTargets.some((t) => t.name === 'depot')
    ? 'depot'
    : companion?.model.doseTargets[0]?.name;

  // Arms.
  checkUnique(
    issues,
    'arm names',
    protocol.arms.map((a, i) => ({ name: a.name, path: ['arms', i, 'name'] }))
  );
  const defaultTarget = model.doseTargets.some((t) => t.name === 'depot')
    ? 'depot'
    : model.doseTargets[0]?.name;
  const arms: CompiledArm[] = protocol.arms.map((arm: Arm, a) => {
    const path: SpecPath = ['arms', a];
    const r = arm.regimen;
    if (!arm.placebo && !r && !arm.companion)
      issues.add(path, `an active arm needs a regimen (or placebo: true)`);
    const target = r?.target ?? defaultTarget ?? '';
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
      if (r.unit === 'mg/kg' && slotOf('weight') < 0)
        issues.add([...path, 'regimen', 'unit'], `mg/kg dosing needs a cohort covariate 'weight' (kg)`);
      if (r.unit === 'mg/m2' && slotOf('bsa') < 0)
        issues.add([...path, 'regimen', 'unit'], `mg/m2 dosing needs a cohort covariate 'bsa' (m²)`);
    }
    const titration = arm.titration.map((rule, k) => {
      const tpath: SpecPath = [...path, 'titration', k];
      const obsIndex = obsIndexOf(rule.at, [...tpath, 'at']);
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

  // Allocation.
  const alloc = protocol.allocation;
  const ratio = alloc.ratio ?? protocol.arms.map(() => 1);
  if (ratio.length !== protocol.arms.length) {
    issues.add(
      ['allocation', 'ratio'],
      `${ratio.length} ratio entries for ${protocol.arms.length} arms; give one per arm`
    );
  }
  const ratioSum = ratio.reduce((a, b) => a + b, 0);
  const blockSize = alloc.blockSize ?? 2 * ratioSum;
  if ((alloc.method === 'block' || alloc.method === 'stratified') && blockSize % ratioSum !== 0) {
    issues.add(
      ['allocation', 'blockSize'],
      `block size ${blockSize} is not a multiple of the ratio total ${ratioSum}`
    );
  }
  checkUnique(
    issues,
    'strata',
    alloc.strata.map((name, i) => ({ name, path: ['allocation', 'strata', i] }))
  );
  const strataSlots = alloc.strata.map((s, i) => {
    const slot = slotOf(s);
    if (slot < 0 || !cohort.columns[slot].levels) {
      const cats = cohort.columns.filter((c) => c.levels).map((c) => c.name);
      issues.add(
        ['allocation', 'strata', i],
        `'${s}' is not a categorical covariate of the cohort (categorical: ${cats.join(', ') || 'none'})`
      );
    }
    return slot;
  });
  const byFactors = alloc.method === 'stratified' || alloc.method === 'minimisation';
  if (byFactors && strataSlots.length === 0)
    issues.add(['allocation', 'strata'], `${alloc.method} allocation needs strata (covariates to balance)`);
  if (!byFactors && strataSlots.length)
    issues.add(['allocation', 'method'], `strata are given: use method: stratified or minimisation`);
  for (const key of ['probability', 'imbalance'] as const) {
    if (alloc[key] !== undefined && alloc.method !== 'minimisation')
      issues.add(['allocation', key], `${key} applies to method: minimisation only`);
  }

  const { endpoints, primary } = compileEndpoints({
    protocol,
    model,
    simOptions: modelSpec.solver ?? {},
    issues,
    outputIndex,
    observed,
    visitIndex: obsIndexOf,
    slotOf,
    cohortNames
  });

  let dropout: TrialPlan['dropout'];
  if (protocol.dropout) {
    const d = protocol.dropout;
    const rate = d.per ? d.rate / d.per : d.rate;
    dropout = { rate };
    if (d.informative) {
      const o = outputIndex(d.informative.variable, ['dropout', 'informative', 'variable']);
      dropout.informative = { output: o, coefficient: d.informative.coefficient };
    }
  }
  const adherence = protocol.adherence
    ? { missed: protocol.adherence.missedDose, stayMissing: protocol.adherence.markov?.stayMissing }
    : undefined;

  // Twins of calibrated patients: each twin's parameters from its own posterior.
  const population = new IndividualParameterModel(model, modelSpec, uniqueCovariates);
  let parameters: ParameterSource = population;
  if (calibration && protocol.imported) {
    parameters = posteriorParameters(calibration, protocol.imported, population, issues) ?? population;
    if (Object.keys(protocol.uncertainty).length) {
      issues.add(
        ['uncertainty'],
        `population uncertainty does not apply to calibrated twins (their parameters come from each patient's posterior, fitted under the model's population values)`
      );
    }
  }
  const parameterSlots =
    parameters === population
      ? covariateSlots
      : Int32Array.from(parameters.covariateNames, (n) => Math.max(slotOf(n), 0));

  checkProtocolSize(
    protocol,
    {
      twins: protocol.cohort.n ?? cohortSpec.n,
      times: grid.times.length,
      densePoints: grid.densePoints,
      outputs: model.outputs.length + (companion?.model.outputs.length ?? 0),
      observed: observed.length,
      endpoints: protocol.endpoints.length
    },
    issues
  );
  issues.throwIfAny();
  return {
    protocol,
    cohort,
    model,
    modelSpec,
    parameters,
    covariateNames: parameters.covariateNames,
    uncertainty,
    companion,
    washout,
    covariateSlots: parameterSlots,
    individual,
    simulator: createTwinSimulator(model, modelSpec.solver ?? {}),
    residual: new ResidualErrorModel(model, modelSpec.residualError),
    arms,
    allocation: {
      method: alloc.method,
      ratio,
      blockSize,
      probability: alloc.probability,
      imbalance: alloc.imbalance
    },
    strataSlots,
    times: grid.times,
    visitIndex: grid.visitIndex,
    visitWindow: grid.visitWindow,
    observed,
    sampledIndex: grid.sampledIndex,
    denseOnlyIndex: grid.denseOnlyIndex,
    endpoints,
    primary,
    dropout,
    adherence,
    weightSlot: slotOf('weight'),
    bsaSlot: slotOf('bsa')
  };
}

/** Each parameter has one random effect: a parameter listed twice would get two. */
function uniqueIivParameters(issues: IssueList, spec: ModelSpec, at: SpecPath): void {
  const parameters = spec.iiv?.parameters ?? [];
  checkUnique(
    issues,
    'iiv parameters',
    parameters.map((name, i) => ({ name, path: [...at, 'iiv', 'parameters', i] }))
  );
}

/** A model spec's problems ('path: message' lines) as field-path issues. */
function modelSpecIssues(e: ModelSpecError): SpecIssue[] {
  return e.problems.map((p) => {
    const [path, ...message] = p.split(': ');
    return {
      path: path
        .split(/\.|\[|\]/)
        .filter(Boolean)
        .map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
      message: message.join(': ')
    };
  });
}
