import { compileCohort, type ImportedTable } from '../engine/cohort';
import { cohortSpec, type CohortSpec } from '../spec/cohort-schema';
import { withLines, parseYamlSpec } from '../spec/yaml-source';

/**
 * Reads cohort YAML: schema errors and cross-field errors together, each with its
 * field path and line. With `imported` (the spec's import file, already read) the
 * cross-field check covers the file's columns too.
 */
export function loadCohortSpec(text: string, file?: string, imported?: ImportedTable): CohortSpec {
  const parsed = parseYamlSpec(text, cohortSpec, file);
  if (parsed.value.import && !imported) return parsed.value; // checked again once the file is read
  try {
    compileCohort(parsed.value, imported);
  } catch (e) {
    throw withLines(e, parsed.lineOf, file);
  }
  return parsed.value;
}
