import { dirname, isAbsolute, join, resolve } from 'node:path';
import { NodeConnector } from '../lib/db/node-connector';
import type { ResolvedProtocol } from '../lib/engine/trial';
import { readImportedTable } from '../lib/io/twin-file';
import { loadProtocol, type ProtocolFileReader } from '../lib/load/load-protocol';
import { checkDataFile } from './data-file';
import { MODEL_FILE_LIMIT, readSpecFile } from './read-spec-file';

/**
 * Reads a protocol file: its cohort and model files are read relative to the protocol,
 * and a cohort that imports twins has its CSV/Parquet file read relative to the cohort.
 * A model file's problems name it by its path from the working directory (as the
 * protocol's own path is given), e.g. `models/x.model:12:3`.
 */
export async function readProtocolFile(file: string): Promise<ResolvedProtocol> {
  const text = readSpecFile(file);
  let cohortPath = '';
  const readFile: ProtocolFileReader = (named, kind) => {
    if (kind === 'model') {
      const path = isAbsolute(named) ? named : join(dirname(file), named);
      return { text: readSpecFile(path, MODEL_FILE_LIMIT), file: path };
    }
    cohortPath = resolve(dirname(file), named);
    return { text: readSpecFile(cohortPath), file: cohortPath };
  };
  const protocol = loadProtocol(text, file, readFile);
  const source = protocol.cohort.spec.import;
  if (!source) return protocol;
  const db = await NodeConnector.open();
  try {
    const where = cohortPath ? dirname(cohortPath) : dirname(file);
    const path = resolve(where, source.file);
    checkDataFile(path);
    const imported = await readImportedTable(db, path, source.categorical);
    return loadProtocol(text, file, readFile, imported);
  } finally {
    await db.close();
  }
}
