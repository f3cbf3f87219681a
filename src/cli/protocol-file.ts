import { dirname, resolve } from 'node:path';
import { NodeConnector } from '../lib/db/node-connector';
import type { ResolvedProtocol } from '../lib/engine/trial';
import { readImportedTable } from '../lib/io/twin-file';
import { loadProtocol } from '../lib/spec/load-protocol';
import { checkDataFile } from './data-file';
import { readSpecFile } from './read-spec-file';

/**
 * Reads a protocol file: its cohort file is read relative to the protocol, and a
 * cohort that imports twins has its CSV/Parquet file read relative to the cohort.
 */
export async function readProtocolFile(file: string): Promise<ResolvedProtocol> {
  const text = readSpecFile(file);
  let cohortPath = '';
  const readCohort = (cohortFile: string) => {
    cohortPath = resolve(dirname(file), cohortFile);
    return { text: readSpecFile(cohortPath), file: cohortPath };
  };
  const protocol = loadProtocol(text, file, readCohort);
  const source = protocol.cohort.spec.import;
  if (!source) return protocol;
  const db = await NodeConnector.open();
  try {
    const where = cohortPath ? dirname(cohortPath) : dirname(file);
    const path = resolve(where, source.file);
    checkDataFile(path);
    const imported = await readImportedTable(db, path, source.categorical);
    return loadProtocol(text, file, readCohort, imported);
  } finally {
    await db.close();
  }
}
