import Papa from 'papaparse';
import {
  PatientDataError,
  patientRecordsFromColumns,
  type PatientRecord,
  type PatientRecordOptions
} from '../engine/calibration/patient-record';
import type { ModelDefinition } from '../engine/models/modelDefinition';
import { MAX_SPEC_BYTES } from '../spec/limits';

/**
 * Patients' records from CSV text (pasted into a page or read from a file picked in the
 * browser, which never leaves it), in the same dialect as the file reader (RFC 4180:
 * comma separated, double quotes, a header on line 1), parsed by papaparse into columns
 * of text for the pure `patientRecordsFromColumns`. Rows are named by their line: data
 * row k is on line k + 1 (a quoted value with a line break inside would shift the count,
 * as the file reader says of such files). Blank lines are skipped.
 */
export function patientRecordsFromCsv(
  text: string,
  model: ModelDefinition,
  options: Omit<PatientRecordOptions, 'rowLabel'> = {}
): PatientRecord[] {
  // The same bound as a spec file: one patient's records are a few hundred bytes.
  if (text.length > MAX_SPEC_BYTES)
    throw new PatientDataError([
      `the table has ${text.length} characters, more than ${MAX_SPEC_BYTES}: fit many patients with the command line (twinbench calibrate)`
    ]);
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  const lines = parsed.data;
  const blank = (row: string[]) => row.every((v) => v.trim() === '');
  const headerAt = lines.findIndex((row) => !blank(row));
  if (headerAt < 0)
    throw new PatientDataError(['the table is empty: give a header line (ID,TIME,AMT,DV,…) and rows']);
  if (headerAt > 0) throw new PatientDataError([`line 1 is blank; the header must be on line 1`]);
  const header = lines[0].map((name) => name.trim());
  const problems: string[] = [];
  // Papaparse's own complaints (an unclosed quote), by line.
  for (const e of parsed.errors)
    if (e.type === 'Quotes') problems.push(`line ${(e.row ?? 0) + 1}: ${e.message}`);
  header.forEach((name, i) => {
    if (name === '') problems.push(`line 1: column ${i + 1} has no name`);
    else if (header.indexOf(name) !== i) problems.push(`line 1: column '${name}' appears twice`);
  });
  const rows: { line: number; values: string[] }[] = [];
  for (let k = 1; k < lines.length; k++) {
    if (blank(lines[k])) continue;
    if (lines[k].length !== header.length) {
      problems.push(`line ${k + 1}: ${lines[k].length} values, the header has ${header.length} columns`);
      continue;
    }
    rows.push({ line: k + 1, values: lines[k] });
  }
  if (problems.length) throw new PatientDataError(problems);
  if (rows.length === 0) throw new PatientDataError(['the table has a header but no rows']);
  const columns = Object.fromEntries(header.map((name, i) => [name, rows.map((r) => r.values[i])]));
  return patientRecordsFromColumns(columns, model, { ...options, rowLabel: (r) => `line ${rows[r].line}` });
}
