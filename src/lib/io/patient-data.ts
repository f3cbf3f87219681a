import { sqlIdent, type Connector } from '../db/connector';
import {
  PatientDataError,
  patientRecordsFromColumns,
  type PatientRecord,
  type PatientRecordOptions
} from '../engine/calibration/patient-record';
import type { ModelDefinition } from '../engine/models/modelDefinition';
import { openFileTable, ROW_COLUMN } from './file-table';

/**
 * Real patients' records from a NONMEM-style CSV or Parquet file (docs/calibration.md,
 * "Patient data"). The file is opened by the one checked reader (openFileTable: its
 * dialect, its refusal of ±Inf and NaN, its names for rows and lines), its columns handed
 * to the pure patientRecordsFromColumns, whose problems come back prefixed with the path.
 */
export async function readPatientData(
  db: Connector,
  path: string,
  model: ModelDefinition,
  options: Omit<PatientRecordOptions, 'rowLabel'> = {}
): Promise<PatientRecord[]> {
  const file = await openFileTable(db, path);
  try {
    // Numbers as DOUBLE, everything else as the file's text (a DV of '.' keeps its column as text).
    const select = file.columns.map((c, i) => {
      const numeric = c.kind === 'integer' || c.kind === 'number';
      return `CAST(${sqlIdent(c.name)} AS ${numeric ? 'DOUBLE' : 'VARCHAR'}) AS c${i}`;
    });
    const table = await db.query(
      `SELECT ${select.join(', ')} FROM (${file.numbered}) ORDER BY ${sqlIdent(ROW_COLUMN)}`
    );
    // Iterating an Arrow vector gives null for a missing value.
    const columns = Object.fromEntries(
      file.columns.map((c, i) => [c.name, Array.from(table.getChildAt(i)!) as (number | string | null)[]])
    );
    return patientRecordsFromColumns(columns, model, { ...options, rowLabel: (r) => file.where(r + 1) });
  } catch (e) {
    if (e instanceof PatientDataError) throw new PatientDataError(e.problems, e.omitted, path);
    throw e;
  } finally {
    await file.drop();
  }
}
