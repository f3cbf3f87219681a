import { EventTimeSimulator, type BaselineHazard, type ModelDefinition, type ModelSpec } from '../models';
import { checkUnique, type IssueList, type SpecPath } from '../../spec/issues';
import type { Endpoint, ProtocolSpec } from '../../spec/protocol-schema';

/** An endpoint resolved against the model, the schedule and the cohort. */
export interface CompiledEndpoint {
  spec: Endpoint;
  name: string;
  /** Output index (continuous, responder, pk). */
  output: number;
  /** Observation index of the endpoint visit. */
  obsIndex: number;
  events?: EventTimeSimulator;
  /** TTE: cohort column slots and log hazard ratios. */
  hazardCovariates: { slot: number; beta: number }[];
}

/** What the endpoints are checked against, from the rest of the protocol's compilation. */
export interface EndpointContext {
  protocol: ProtocolSpec;
  model: ModelDefinition;
  simOptions: NonNullable<ModelSpec['solver']>;
  issues: IssueList;
  /** Output index of a model output (an issue at `path` if there is none). */
  outputIndex(name: string, path: SpecPath): number;
  observed: number[];
  /** Observation index of the visit at time t (an issue at `path` if t is no visit). */
  visitIndex(t: number, path: SpecPath): number;
  /** Cohort column slot of a covariate, -1 if there is none. */
  slotOf(name: string): number;
  cohortNames: string;
}

/** Compiles the endpoints; their names key the stored results (and `analyze --endpoint`). */
export function compileEndpoints(ctx: EndpointContext): { endpoints: CompiledEndpoint[]; primary: number } {
  const { protocol, issues } = ctx;
  checkUnique(
    issues,
    'endpoint names',
    protocol.endpoints.map((e, i) => ({ name: e.name, path: ['endpoints', i, 'name'] }))
  );
  const endpoints = protocol.endpoints.map((ep, i) => compileEndpoint(ctx, ep, ['endpoints', i]));

  // The event simulator integrates from t = 0: a steady-state start would be lost.
  const tte = protocol.endpoints.find((e) => e.type === 'tte');
  if (tte) {
    protocol.arms.forEach((a, k) => {
      if (a.regimen?.steadyState) {
        issues.add(
          ['arms', k, 'regimen', 'steadyState'],
          `a steady-state start cannot be combined with a time-to-event endpoint (${tte.name})`
        );
      }
    });
  }

  const primaries = protocol.endpoints.map((e, i) => (e.primary ? i : -1)).filter((i) => i >= 0);
  if (primaries.length > 1)
    issues.add(
      ['endpoints', primaries[1], 'primary'],
      `only one endpoint can be primary (${protocol.endpoints[primaries[0]].name} already is)`
    );
  return { endpoints, primary: primaries[0] ?? 0 };
}

function compileEndpoint(ctx: EndpointContext, ep: Endpoint, path: SpecPath): CompiledEndpoint {
  const { issues, outputIndex } = ctx;
  const c: CompiledEndpoint = { spec: ep, name: ep.name, output: -1, obsIndex: 0, hazardCovariates: [] };
  if (ep.type === 'continuous' || ep.type === 'responder') {
    c.output = outputIndex(ep.variable, [...path, 'variable']);
    if (c.output >= 0 && !ctx.observed.includes(c.output))
      issues.add([...path, 'variable'], `'${ep.variable}' is not observed (add it to observe)`);
    c.obsIndex = ctx.visitIndex(ep.visit, [...path, 'visit']);
    return c;
  }
  if (ep.type === 'pk') {
    c.output = outputIndex(ep.variable, [...path, 'variable']);
    return c;
  }
  const h = ep.hazard;
  const at = (field: string) => [...path, 'hazard', field];
  if (h.model !== undefined) {
    // The model's own hazard replaces the parametric baseline.
    const i = outputIndex(h.model, at('model'));
    if (i >= 0 && !ctx.model.outputs[i].hazard)
      issues.add(
        at('model'),
        `'${h.model}' is an output, not a hazard of model ${ctx.model.name}${hazardsOf(ctx)}`
      );
    for (const field of ['rate', 'shape'] as const)
      if (h[field] !== undefined)
        issues.add(at(field), `give either hazard.model or hazard.${field}, not both`);
    if (h.baseline !== 'exponential')
      issues.add(at('baseline'), 'give either hazard.model or hazard.baseline, not both');
  } else if (h.rate === undefined)
    issues.add(at('rate'), `give hazard.rate (per hour), or hazard.model${hazardsOf(ctx)}`);
  if (h.model === undefined && h.baseline !== 'exponential' && h.shape === undefined)
    issues.add(at('shape'), `a ${h.baseline} hazard needs shape`);
  if (h.output !== undefined) outputIndex(h.output, [...path, 'hazard', 'output']);
  c.hazardCovariates = Object.entries(h.covariates).map(([n, beta]) => {
    const slot = ctx.slotOf(n);
    if (slot < 0)
      issues.add(
        [...path, 'hazard', 'covariates', n],
        `the cohort has no covariate '${n}' (has ${ctx.cohortNames})`
      );
    return { slot: Math.max(slot, 0), beta };
  });
  if (issues.ok) {
    const rate = h.rate!;
    const baseline: BaselineHazard =
      h.model !== undefined
        ? { type: 'model', output: h.model }
        : h.baseline === 'exponential'
          ? { type: 'exponential', lambda: rate }
          : h.baseline === 'weibull'
            ? { type: 'weibull', lambda: rate, shape: h.shape! }
            : { type: 'gompertz', lambda: rate, gamma: h.shape! };
    c.events = new EventTimeSimulator(
      ctx.model,
      {
        name: ep.name,
        baseline,
        outputEffect: h.output ? { output: h.output, beta: h.coefficient } : undefined,
        horizon: ctx.protocol.schedule.duration
      },
      ctx.simOptions
    );
  }
  return c;
}

/** ' (its hazards: h1, h2)' or ' (it declares none)', for messages. */
function hazardsOf(ctx: EndpointContext): string {
  const names = ctx.model.outputs.filter((o) => o.hazard).map((o) => o.name);
  return names.length
    ? ` (its hazards: ${names.join(', ')})`
    : ` (model ${ctx.model.name} declares no hazard)`;
}
