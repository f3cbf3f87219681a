import { parse } from 'yaml';

export interface CohortSource {
  name: string;
  description: string;
  /** the citation of the public source of the cohort's numbers; '' when the file names none */
  source: string;
}

/**
 * A shipped cohort file's name, description and source, for the Help page's list of cohorts.
 * Shipped files are valid specs; a field that is missing or not text reads as ''.
 */
export function cohortSource(yamlText: string): CohortSource {
  const spec: unknown = parse(yamlText);
  const field = (key: string): string => {
    const v = spec && typeof spec === 'object' ? (spec as Record<string, unknown>)[key] : undefined;
    return typeof v === 'string' ? v.trim() : '';
  };
  return { name: field('name'), description: field('description'), source: field('source') };
}
