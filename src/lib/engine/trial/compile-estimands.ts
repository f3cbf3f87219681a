import type { IssueList } from '../../spec/issues';
import type { EstimandStrategy, ProtocolSpec } from '../../spec/protocol-schema';

/** One estimand of one endpoint; `composite` is the success threshold on a continuous measure. */
export interface CompiledEstimand {
  endpoint: number;
  strategy: EstimandStrategy;
  composite?: { below: boolean; threshold: number };
}

/**
 * Each visit endpoint's estimands, in endpoint order. The composite estimand of a
 * continuous endpoint needs its success threshold (`composite: { below | above }`); a
 * strategy listed twice, or a threshold without the composite estimand, is an issue.
 */
export function compileEstimands(protocol: ProtocolSpec, issues: IssueList): CompiledEstimand[] {
  const out: CompiledEstimand[] = [];
  protocol.endpoints.forEach((ep, ei) => {
    if (ep.type !== 'continuous' && ep.type !== 'responder') return;
    const path = ['endpoints', ei];
    const list = ep.estimands ?? [];
    if (list.length && protocol.design === 'crossover')
      issues.add([...path, 'estimands'], 'estimands are not supported in a crossover design');
    const composite = ep.type === 'continuous' ? ep.composite : undefined;
    if (composite && (composite.below === undefined) === (composite.above === undefined))
      issues.add([...path, 'composite'], 'give below or above (one of them)');
    if (composite && !list.includes('composite'))
      issues.add(
        [...path, 'composite'],
        "is the composite estimand's threshold: list composite in estimands too"
      );
    list.forEach((strategy, i) => {
      if (list.indexOf(strategy) !== i) {
        issues.add([...path, 'estimands', i], `'${strategy}' is listed twice`);
        return;
      }
      const e: CompiledEstimand = { endpoint: ei, strategy };
      if (strategy === 'composite' && ep.type === 'continuous') {
        if (!composite)
          issues.add(
            [...path, 'composite'],
            'the composite estimand of a continuous endpoint needs its success threshold: composite: { below: x } or { above: x }'
          );
        else
          e.composite =
            composite.below !== undefined
              ? { below: true, threshold: composite.below }
              : { below: false, threshold: composite.above ?? NaN };
      }
      out.push(e);
    });
  });
  return out;
}
