import { choleskyInto } from '../../linalg/cholesky';
import type { CohortSpec } from '../../spec/cohort-schema';
import type { IssueList, SpecPath } from '../../spec/issues';
import type { CalibratedCohort } from '../../spec/protocol-schema';
import type { ImportedTable } from '../cohort';
import type { IndividualParameterModel } from '../models/individualParameters';
import { covarianceColumns, ETA_PREFIX, etaColumn, PATIENT_COLUMN } from './fits-columns';
import { PosteriorParameterModel } from './posterior-parameter-model';

/**
 * A cohort of calibrated twins (`cohort: { calibration: { file } }` in a protocol) is a
 * cohort that imports the fits file: twin i is patient i (row i), and any n other than
 * the number of patients resamples them with replacement, keyed by (seed, 'bootstrap',
 * twin id) as an import's bootstrap is. `rows` is unknown until the file has been read.
 */
export function calibratedCohortSpec(calibration: CalibratedCohort, n?: number, rows?: number): CohortSpec {
  const size = n ?? rows ?? 1;
  return {
    name: `calibrated patients of ${calibration.file}`,
    seed: 1,
    n: size,
    covariates: [],
    correlations: [],
    derived: [],
    criteria: [],
    import: { file: calibration.file, bootstrap: rows !== undefined && size !== rows }
  };
}

const FILE: SpecPath = ['cohort', 'calibration', 'file'];

/**
 * The parameter source of a calibrated cohort: checks that the fits file's etas are the
 * model's (names and order), that it has their covariance columns and that every
 * patient's covariance is positive definite (or all zero: no covariance), each problem
 * added to `issues` with its field path. `covariateNames` are the population model's
 * covariates; the source reads them, then η̂ and the covariance, from the twin's columns.
 */
export function posteriorParameters(
  calibration: CalibratedCohort,
  imported: ImportedTable,
  population: IndividualParameterModel,
  issues: IssueList
): PosteriorParameterModel | undefined {
  const names = imported.columns.map((c) => c.name);
  const fitted = names.filter((n) => n.startsWith(ETA_PREFIX));
  const expected = population.etaNames.map(etaColumn);
  if (fitted.join() !== expected.join()) {
    issues.add(
      FILE,
      `the fits file's etas (${fitted.join(', ') || 'none'}) are not the model's (iiv.parameters: ${population.etaNames.join(', ') || 'none'}); ` +
        `a trial of calibrated twins needs the model the patients were fitted with, its etas in the same order`
    );
    return undefined;
  }
  const covariance = covarianceColumns(population.etaNames);
  const missing = covariance.filter((n) => !names.includes(n));
  if (missing.length) {
    issues.add(FILE, `the fits file has no column ${missing.join(', ')} (the etas' posterior covariance)`);
    return undefined;
  }
  const nE = expected.length;
  const values = covariance.map((n) => imported.columns[names.indexOf(n)].values);
  const patient = imported.columns[names.indexOf(PATIENT_COLUMN)]?.values;
  const a = new Float64Array(nE * nE);
  const l = new Float64Array(nE * nE);
  for (let r = 0; r < imported.rows; r++) {
    let any = false;
    for (let i = 0, k = 0; i < nE; i++) {
      for (let j = 0; j <= i; j++, k++) {
        a[i * nE + j] = values[k][r];
        if (values[k][r] !== 0) any = true;
      }
    }
    if (any && !choleskyInto(a, nE, l, 0)) {
      issues.add(
        FILE,
        `row ${patient?.[r] ?? r + 1}: the posterior covariance (${covariance.join(', ')}) is not positive definite`
      );
    }
  }
  const covariates = [...population.covariateNames, ...expected, ...covariance];
  return new PosteriorParameterModel(population, covariates, calibration.posterior === 'mode');
}

/**
 * What a user should know about a calibrated cohort that is not an error: patients
 * without a posterior covariance, whose twins take the MAP etas instead of draws.
 */
export function calibratedCohortNotes(calibration: CalibratedCohort, imported: ImportedTable): string[] {
  if (calibration.posterior === 'mode') return [];
  const cov = imported.columns.filter((c) => c.name.startsWith('cov_'));
  if (!cov.length) return [];
  const without: number[] = [];
  for (let r = 0; r < imported.rows; r++) if (cov.every((c) => c.values[r] === 0)) without.push(r + 1);
  if (!without.length) return [];
  const rows = without.slice(0, 10).join(', ') + (without.length > 10 ? ', …' : '');
  return [
    `${calibration.file}: ${without.length} patient${without.length === 1 ? ' has' : 's have'} no posterior covariance (row${without.length === 1 ? '' : 's'} ${rows}): ` +
      `their twins take the patient's MAP etas, not draws`
  ];
}
