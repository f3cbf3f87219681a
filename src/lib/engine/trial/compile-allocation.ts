import { checkUnique, type IssueList } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import type { AllocationPlan } from './allocate';
import type { TrialCohort } from './compile-trial-cohort';

/** Checks the allocation (ratio, block size, strata as categorical covariates, the
 * minimisation settings) and returns its plan and the strata's cohort slots. */
export function compileAllocation(
  protocol: ProtocolSpec,
  cohort: TrialCohort,
  issues: IssueList
): { allocation: AllocationPlan; strataSlots: number[] } {
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
  const columns = cohort.plan.columns;
  const strataSlots = alloc.strata.map((s, i) => {
    const slot = cohort.slotOf(s);
    if (slot < 0 || !columns[slot].levels) {
      const cats = columns.filter((c) => c.levels).map((c) => c.name);
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
  return {
    allocation: {
      method: alloc.method,
      ratio,
      blockSize,
      probability: alloc.probability,
      imbalance: alloc.imbalance
    },
    strataSlots
  };
}
