import { calibratedCohortSpec } from '../calibration/calibrated-cohort';
import { compileCohort, type ImportedTable } from '../cohort';
import type { CohortPlan } from '../cohort/plan';
import { SpecError, type IssueList, type SpecPath } from '../../spec/issues';
import type { CohortSpec } from '../../spec/cohort-schema';
import type { ProtocolSpec } from '../../spec/protocol-schema';

/** A protocol whose cohort is inline (the file, if any, has been read). */
export type ResolvedProtocol = ProtocolSpec & {
  cohort: { spec: NonNullable<ProtocolSpec['cohort']['spec']> };
  /** The cohort's imported twins, when it imports them (a calibrated cohort: its fits file). */
  imported?: ImportedTable;
};

/** The trial's cohort: its spec (a calibrated cohort's import of its fits file) and plan. */
export interface TrialCohort {
  spec: CohortSpec;
  plan: CohortPlan;
  /** Cohort column slot of a covariate, -1 if there is none. */
  slotOf(name: string): number;
  /** The cohort's covariate names, for messages. */
  names: string;
}

/**
 * Compiles the protocol's cohort with the protocol's seed and size; its problems are
 * thrown with their paths in the protocol (`cohort.spec.…`, `cohort.n`, or the
 * calibrated cohort's `cohort.calibration.file`).
 */
export function compileTrialCohort(protocol: ResolvedProtocol): TrialCohort {
  const calibration = protocol.cohort.calibration;
  // A cohort of calibrated twins imports its fits file; its size decides the resampling.
  const spec = calibration
    ? calibratedCohortSpec(calibration, protocol.cohort.n, protocol.imported?.rows)
    : protocol.cohort.spec;
  let plan: CohortPlan;
  try {
    plan = compileCohort({ ...spec, seed: protocol.seed, n: protocol.cohort.n ?? spec.n }, protocol.imported);
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
  return {
    spec,
    plan,
    slotOf: (name) => plan.columns.findIndex((c) => c.name === name),
    names: plan.columns.map((c) => c.name).join(', ')
  };
}

/** Imported twins without bootstrap are taken in order (twin i is row i): no criteria,
 * and no more twins than rows. */
export function checkTrialImport(protocol: ResolvedProtocol, cohort: TrialCohort, issues: IssueList): void {
  const importSpec = cohort.spec.import;
  if (!importSpec || importSpec.bootstrap) return;
  if (cohort.spec.criteria.length) {
    issues.add(
      ['cohort'],
      `criteria on imported twins need import.bootstrap: true in a trial (twin i is row i otherwise)`
    );
  }
  const n = protocol.cohort.n ?? cohort.spec.n;
  if (protocol.imported && n > protocol.imported.rows) {
    issues.add(
      ['cohort', 'n'],
      `${n} twins asked for, but the imported file has ${protocol.imported.rows} rows (set bootstrap: true to resample)`
    );
  }
}
