import { formatHours } from '../../spec/duration';
import type { IssueList, SpecPath } from '../../spec/issues';
import { MAX_DOSES_PER_TWIN, MAX_RUN_VALUES, MAX_VALUES_PER_TWIN } from '../../spec/limits';
import type { ProtocolSpec, Regimen } from '../../spec/protocol-schema';
import { nominalDoseCount } from './regimen-doses';

/**
 * The work a protocol implies, bounded before anything runs: doses per twin, values
 * simulated per twin, and values a run stores. Each refusal gives the computed size
 * and the limit (see spec/limits.ts for why each limit is what it is).
 */
export interface ProtocolSize {
  twins: number;
  /** Observation times of the grid, and those of the dense grid alone. */
  times: number;
  densePoints: number;
  /** Model outputs simulated (the companion's too), and those stored. */
  outputs: number;
  observed: number;
  endpoints: number;
}

const count = (x: number) => x.toLocaleString('en-US');

export function checkProtocolSize(protocol: ProtocolSpec, size: ProtocolSize, issues: IssueList): void {
  const duration = protocol.schedule.duration;
  const checkDoses = (r: Regimen | undefined, path: SpecPath) => {
    if (!r) return;
    const doses = nominalDoseCount(r, duration);
    if (doses <= MAX_DOSES_PER_TWIN) return;
    const how =
      r.doses !== undefined
        ? `${count(doses)} doses`
        : `a dose every ${formatHours(r.interval!)} for ${formatHours(r.duration ?? duration - r.start)} is ${count(doses)} doses`;
    issues.add(
      [...path, r.doses !== undefined ? 'doses' : 'interval'],
      `${how} per twin; at most ${count(MAX_DOSES_PER_TWIN)}`
    );
  };
  protocol.arms.forEach((arm, a) => {
    checkDoses(arm.regimen, ['arms', a, 'regimen']);
    checkDoses(arm.companion, ['arms', a, 'companion']);
  });

  // A crossover twin has two periods; a counterfactual twin is simulated under every arm.
  const periods = protocol.design === 'crossover' ? 2 : 1;
  const arms = protocol.design === 'counterfactual' ? protocol.arms.length : 1;
  const perTwin = size.times * size.outputs * periods * arms;
  if (perTwin > MAX_VALUES_PER_TWIN) {
    const factors = [
      `${count(size.times)} observation times`,
      `${size.outputs} model outputs`,
      ...(periods > 1 ? [`${periods} periods`] : []),
      ...(arms > 1 ? [`${arms} arms`] : [])
    ];
    issues.add(
      [...(size.densePoints ? ['schedule', 'dense'] : ['schedule'])],
      `${factors.join(' × ')} = ${count(perTwin)} values per twin; at most ${count(MAX_VALUES_PER_TWIN)}`
    );
    return; // the run's size follows from this one
  }

  const n = size.twins;
  const stored = (size.times * size.observed + size.endpoints + 1) * periods * arms;
  const total = n * protocol.replicates * stored;
  if (total > MAX_RUN_VALUES) {
    issues.add(
      protocol.replicates > 1 ? ['replicates'] : ['cohort', 'n'],
      `${count(n)} twins × ${count(protocol.replicates)} replicates × ${count(stored)} values per twin = ` +
        `${count(total)} values to store; a run may store at most ${count(MAX_RUN_VALUES)}`
    );
  }
}
