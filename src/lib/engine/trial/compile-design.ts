import type { IssueList } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';

/**
 * Checks what the design allows: a 2×2 crossover has two arms and a washout, and no
 * titration, time-to-event endpoints or informative dropout. Returns the crossover's
 * washout (h), undefined for other designs.
 */
export function compileDesign(protocol: ProtocolSpec, issues: IssueList): number | undefined {
  if (protocol.design !== 'crossover') {
    if (protocol.crossover) issues.add(['crossover'], `crossover settings need design: crossover`);
    return undefined;
  }
  if (protocol.arms.length !== 2)
    issues.add(['arms'], `a 2×2 crossover needs exactly 2 arms, got ${protocol.arms.length}`);
  if (!protocol.crossover) issues.add(['crossover'], `a crossover design needs crossover.washout`);
  protocol.arms.forEach((a, i) => {
    if (a.titration.length)
      issues.add(['arms', i, 'titration'], `titration is not supported in a crossover design`);
  });
  protocol.endpoints.forEach((e, i) => {
    if (e.type === 'tte')
      issues.add(['endpoints', i, 'type'], `time-to-event endpoints are not supported in a crossover design`);
  });
  if (protocol.dropout?.informative) {
    issues.add(['dropout', 'informative'], `informative dropout is not supported in a crossover design`);
  }
  return protocol.crossover?.washout ?? 0;
}
