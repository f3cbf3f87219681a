import type { IssueList, SpecPath } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import type { ObservationGrid } from './compile-schedule';
import { visitObservation } from './compile-schedule';
import type { Dropout } from './dropout-time';
import type { VisitRule } from './visit-rule';

/** A discontinuation hazard: constant or informative as dropout's, scaled by covariates. */
export interface DiscontinuationHazard {
  /** Index into `reasons`. */
  reason: number;
  hazard: Dropout;
  /** Cohort column slots and log hazard ratios per unit. */
  covariates: { slot: number; beta: number }[];
}

/** The protocol's intercurrent events, resolved against its model, cohort and visits. */
export interface CompiledIntercurrent {
  /** Discontinuation reasons, in the order the protocol first names them (their codes). */
  reasons: string[];
  hazards: DiscontinuationHazard[];
  rules: { reason: number; rule: VisitRule }[];
  /** Probability that a twin who discontinues is lost to follow-up then. */
  lossToFollowUp: number;
  rescue?: { rule: VisitRule; output: number; shift: number; onset: number };
}

export interface IntercurrentContext {
  protocol: ProtocolSpec;
  grid: ObservationGrid;
  outputIndex: (name: string, path: SpecPath) => number;
  slotOf: (name: string) => number;
  /** The cohort's covariate names, for messages. */
  cohortNames: string;
  issues: IssueList;
}

const PATH = ['intercurrent'];

/**
 * Compiles `intercurrent`: each discontinuation cause is a hazard (a constant rate, a
 * probability by a time, optionally informative or scaled by covariates) or a rule at
 * visits, never both; rescue is a rule with its effect. Every problem is an issue at its
 * field path.
 */
export function compileIntercurrent(ctx: IntercurrentContext): CompiledIntercurrent | undefined {
  const { protocol, issues } = ctx;
  const ic = protocol.intercurrent;
  if (!ic) return undefined;
  if (protocol.design === 'crossover')
    issues.add(
      PATH,
      'intercurrent events are not supported in a crossover design (parallel or counterfactual only)'
    );
  const compiled: CompiledIntercurrent = {
    reasons: [],
    hazards: [],
    rules: [],
    lossToFollowUp: ic.lossToFollowUp ?? 0
  };
  (ic.discontinuation ?? []).forEach((cause, i) => {
    const path = [...PATH, 'discontinuation', i];
    let reason = compiled.reasons.indexOf(cause.reason);
    if (reason < 0) reason = compiled.reasons.push(cause.reason) - 1;
    const hazard = cause.rate !== undefined || cause.probability !== undefined;
    if (cause.rate !== undefined && cause.probability !== undefined)
      issues.add([...path, 'probability'], 'give rate or probability, not both');
    if (cause.per !== undefined && cause.rate === undefined)
      issues.add([...path, 'per'], 'per qualifies rate: give rate too');
    if (cause.probability !== undefined && cause.by === undefined)
      issues.add([...path, 'by'], 'a probability needs the time it is reached by, e.g. by: 24w');
    if (cause.by !== undefined && cause.probability === undefined)
      issues.add([...path, 'by'], 'by qualifies probability: give probability too');
    if (cause.when && hazard)
      issues.add([...path, 'when'], 'a cause is a hazard (rate or probability) or a rule (when), not both');
    if (!cause.when && !hazard) issues.add(path, 'give rate, probability or when');
    if (!cause.when && cause.at) issues.add([...path, 'at'], 'at lists the visits of a rule: give when too');
    if (!hazard && (cause.informative || cause.covariates))
      issues.add(
        [...path, cause.informative ? 'informative' : 'covariates'],
        'scales a hazard: give rate or probability too'
      );
    if (cause.when) {
      const rule = compileVisitRule(ctx, cause.when, cause.at, path);
      compiled.rules.push({ reason, rule });
    } else if (hazard) {
      // A probability p by time T is the constant hazard with 1 − exp(−λT) = p.
      const rate =
        cause.rate !== undefined
          ? cause.rate / (cause.per ?? 1)
          : -Math.log(1 - (cause.probability ?? 0)) / (cause.by ?? 1);
      const h: Dropout = { rate };
      if (cause.informative) {
        const o = ctx.outputIndex(cause.informative.variable, [...path, 'informative', 'variable']);
        h.informative = { output: o, coefficient: cause.informative.coefficient };
      }
      const covariates = Object.entries(cause.covariates ?? {}).map(([name, beta]) => {
        const slot = ctx.slotOf(name);
        if (slot < 0)
          issues.add(
            [...path, 'covariates', name],
            `the cohort has no covariate '${name}' (covariates: ${ctx.cohortNames})`
          );
        return { slot, beta };
      });
      compiled.hazards.push({ reason, hazard: h, covariates });
    }
  });
  if (ic.rescue) {
    const path = [...PATH, 'rescue'];
    const rule = compileVisitRule(ctx, ic.rescue.when, ic.rescue.at, path);
    const e = ic.rescue.effect;
    const output = ctx.outputIndex(e.output, [...path, 'effect', 'output']);
    compiled.rescue = { rule, output, shift: e.shift, onset: e.onset };
  }
  if (ic.lossToFollowUp !== undefined && !ic.discontinuation?.length)
    issues.add(
      [...PATH, 'lossToFollowUp'],
      'is a probability among twins who discontinue: give discontinuation too'
    );
  return compiled;
}

function compileVisitRule(
  ctx: IntercurrentContext,
  when: { output: string; above?: number; below?: number },
  at: number[] | undefined,
  path: SpecPath
): VisitRule {
  const { grid, issues } = ctx;
  const output = ctx.outputIndex(when.output, [...path, 'when', 'output']);
  if ((when.above === undefined) === (when.below === undefined))
    issues.add([...path, 'when'], 'give above or below (one of them)');
  const checked = new Uint8Array(grid.visitIndex.length);
  if (at) {
    at.forEach((t, i) => {
      const k = visitObservation(grid, t, [...path, 'at', i], issues);
      const v = grid.visitTimes.indexOf(t);
      if (v === 0) issues.add([...path, 'at', i], 'is baseline: a rule is checked at visits after baseline');
      else if (v > 0 && grid.visitIndex[v] === k) checked[v] = 1;
    });
  } else {
    checked.fill(1, 1);
  }
  const above = when.above !== undefined;
  return { output, above, threshold: (above ? when.above : when.below) ?? NaN, checked };
}
