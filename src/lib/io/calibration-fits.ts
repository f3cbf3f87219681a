import type { ImportedTable } from '../engine/cohort';
import { ETA_PREFIX, ID_COLUMN, isFitResultColumn, PATIENT_COLUMN } from '../engine/calibration/fits-columns';
import { sqlIdent, type Connector } from '../db/connector';
import { openFileTable, ROW_COLUMN } from './file-table';
import { TwinFileError } from './twin-file-error';

/**
 * Reads a fits file (CSV or Parquet, one row per calibrated patient, as `twinbench
 * calibrate --out` writes it) as the imported table of a cohort of calibrated twins:
 * `patient` (the row number), the patient's covariate columns, its `eta_<P>` and
 * `cov_<Pi>_<Pj>` columns; the fit's other results are left out. Etas must be complete
 * numbers. A covariate column with an empty value is left out with a note: the model's
 * covariates were complete for the fit, so only a column the model does not use can be
 * empty. A patient whose covariance is empty (the Laplace approximation failed) gets a
 * covariance of zeros: its twins take the MAP etas. A covariance given in part is
 * refused with its row and column.
 */
export interface CalibrationFits {
  table: ImportedTable;
  /** Covariate columns left out, said once each. */
  notes: string[];
}

export async function readCalibrationFits(db: Connector, path: string): Promise<CalibrationFits> {
  const file = await openFileTable(db, path);
  try {
    const names = file.columns.map((c) => c.name);
    if (!names.includes(ID_COLUMN)) {
      throw new TwinFileError(
        `${path}: has no ${ID_COLUMN} column; a fits file (as twinbench calibrate --out writes it) has ID, covariates, eta_<P> and cov_<Pi>_<Pj> columns`
      );
    }
    if (!names.some((n) => n.startsWith(ETA_PREFIX))) {
      throw new TwinFileError(`${path}: has no eta_<P> columns (the patients' MAP etas)`);
    }
    for (const name of names) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new TwinFileError(
          `${path}: column '${name}' is not a usable name (letters, digits and _ only)`
        );
      }
    }
    if (names.includes(PATIENT_COLUMN)) {
      throw new TwinFileError(
        `${path}: has a column '${PATIENT_COLUMN}', the name a calibrated twin's patient row takes; rename it`
      );
    }
    const covariance = names.filter((n) => n.startsWith('cov_'));
    const complete = names.filter((n) => !isFitResultColumn(n) && !n.startsWith('cov_'));
    const read = [...complete, ...covariance];
    const row = sqlIdent(ROW_COLUMN);
    // NULL as NaN (a file never holds NaN: openFileTable refuses it); text that is not a number as -Inf.
    const value = (c: string) =>
      `CASE WHEN ${c} IS NULL THEN 'NaN'::DOUBLE ELSE coalesce(TRY_CAST(${c} AS DOUBLE), '-Infinity'::DOUBLE) END`;
    const result = await db.query(
      `SELECT ${read.map((n, i) => `${value(sqlIdent(n))} AS v${i}`).join(', ')} FROM (${file.numbered}) ORDER BY ${row}`
    );
    const values = read.map((_, i) => Float64Array.from(result.getChildAt(i)!.toArray() as Float64Array));
    const at = (r: number) => file.where(r + 1);
    read.forEach((name, i) => {
      const bad = values[i].findIndex((x) => x === -Infinity);
      if (bad >= 0) throw new TwinFileError(`${path}: ${at(bad)}: column '${name}' is not a number`);
    });
    const notes: string[] = [];
    const kept = complete.map((name, i) => {
      const empty = values[i].findIndex(Number.isNaN);
      if (empty < 0) return true;
      if (name.startsWith(ETA_PREFIX))
        throw new TwinFileError(`${path}: ${at(empty)}: column '${name}' is empty`);
      notes.push(`${path}: covariate '${name}' left out of the twins: it is empty in ${at(empty)}`);
      return false;
    });
    const cov = values.slice(complete.length);
    for (let r = 0; r < file.rows; r++) {
      const missing = cov.filter((v) => Number.isNaN(v[r])).length;
      if (missing === 0) continue;
      if (missing < cov.length) {
        const k = cov.findIndex((v) => Number.isNaN(v[r]));
        throw new TwinFileError(
          `${path}: ${at(r)}: column '${covariance[k]}' is empty but other cov_ columns are not; give the whole covariance or none`
        );
      }
      for (const v of cov) v[r] = 0;
    }
    const patient = Float64Array.from({ length: file.rows }, (_, r) => r + 1);
    const columns = read
      .map((name, i) => ({ name, values: values[i] }))
      .filter((_, i) => i >= complete.length || kept[i]);
    return {
      table: { rows: file.rows, columns: [{ name: PATIENT_COLUMN, values: patient }, ...columns] },
      notes
    };
  } finally {
    await file.drop();
  }
}
