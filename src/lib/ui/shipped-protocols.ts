import { parse } from 'yaml';
import { loadProtocol, type ProtocolFileReader } from '../load/load-protocol';
import { shippedCohorts } from './shipped-cohorts';
import { shippedModels } from './shipped-models';

/** The protocol files shipped in protocols/, bundled as text so the browser can offer them. */
const files = import.meta.glob('/protocols/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true
}) as Record<string, string>;

/**
 * Protocols whose cohort file is not offered in the browser (BM1's cohort imports its
 * twins from a CSV file), or whose cohort is a fits file of calibrated patients, run
 * from the CLI only: not offered.
 */
export const shippedProtocols: { file: string; text: string }[] = Object.entries(files)
  .map(([path, text]) => ({ file: path.split('/').pop()!, text }))
  .filter(({ text }) => {
    const cohort = (parse(text) as { cohort?: { file?: unknown; calibration?: unknown } } | null)?.cohort;
    if (cohort?.calibration !== undefined) return false;
    const cohortFile = cohort?.file;
    const base = typeof cohortFile === 'string' ? cohortFile.split(/[\\/]/).pop() : undefined;
    return base === undefined || shippedCohorts.some((c) => c.file === base);
  })
  .sort((a, b) => a.file.localeCompare(b.file));

/** Finds a shipped file by the base name of the path a protocol gives. */
function findShipped(path: string, shipped: { file: string; text: string }[], what: string) {
  const base = path.split(/[\\/]/).pop() ?? path;
  const found = shipped.find((c) => c.file === base);
  if (!found) {
    throw new Error(`no shipped ${what} named '${base}' (shipped: ${shipped.map((c) => c.file).join(', ')})`);
  }
  return found;
}

/**
 * Reads a protocol's cohort or model file in the browser: shipped protocols name them
 * relative to protocols/ (`../cohorts/x.yaml`, `../models/x.model`), so the file is found
 * among the shipped ones by its base name.
 */
export const readShippedFile: ProtocolFileReader = (path, kind) =>
  kind === 'model' ? findShipped(path, shippedModels, 'model') : findShipped(path, shippedCohorts, 'cohort');

/** `loadProtocol` with cohort and model files resolved among the shipped ones. */
export function loadShippedProtocol(text: string, file: string) {
  return loadProtocol(text, file, readShippedFile);
}
