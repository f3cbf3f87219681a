import { parse } from 'yaml';
import { loadProtocol } from '../spec/load-protocol';
import { shippedCohorts } from './shipped-cohorts';

/** The protocol files shipped in protocols/, bundled as text so the browser can offer them. */
const files = import.meta.glob('/protocols/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true
}) as Record<string, string>;

/**
 * Protocols whose cohort file is not offered in the browser (BM1's cohort imports its
 * twins from a CSV file) run from the CLI only: not offered.
 */
export const shippedProtocols: { file: string; text: string }[] = Object.entries(files)
  .map(([path, text]) => ({ file: path.split('/').pop()!, text }))
  .filter(({ text }) => {
    const cohortFile = (parse(text) as { cohort?: { file?: unknown } } | null)?.cohort?.file;
    const base = typeof cohortFile === 'string' ? cohortFile.split(/[\\/]/).pop() : undefined;
    return base === undefined || shippedCohorts.some((c) => c.file === base);
  })
  .sort((a, b) => a.file.localeCompare(b.file));

/**
 * Reads a protocol's `cohort.file` in the browser: shipped protocols name their cohort
 * relative to protocols/ (`../cohorts/x.yaml`), so the file is found among the shipped
 * cohorts by its base name.
 */
export function readShippedCohort(path: string): { text: string; file: string } {
  const base = path.split(/[\\/]/).pop() ?? path;
  const found = shippedCohorts.find((c) => c.file === base);
  if (!found) {
    throw new Error(
      `no shipped cohort named '${base}' (shipped: ${shippedCohorts.map((c) => c.file).join(', ')})`
    );
  }
  return found;
}

/** `loadProtocol` with cohort files resolved among the shipped cohorts. */
export function loadShippedProtocol(text: string, file: string) {
  return loadProtocol(text, file, readShippedCohort);
}
