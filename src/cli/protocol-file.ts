import { dirname, isAbsolute, join, resolve } from 'node:path';
import { NodeConnector } from '../lib/db/node-connector';
import type { ResolvedProtocol } from '../lib/engine/trial';
import { calibratedCohortNotes } from '../lib/engine/calibration/calibrated-cohort';
import { readCalibrationFits } from '../lib/io/calibration-fits';
import { readImportedTable } from '../lib/io/twin-file';
import { SpecError } from '../lib/spec/issues';
import { protocolSpec } from '../lib/spec/protocol-schema';
import { parseYamlSpec } from '../lib/spec/yaml-source';
import { loadProtocol, type ProtocolFileReader } from '../lib/load/load-protocol';
import { TwinFileError } from '../lib/io/twin-file-error';
import { checkDataFile } from './data-file';
import { MODEL_FILE_LIMIT, readSpecFile } from './read-spec-file';

/**
 * Reads a protocol file: its cohort and model files are read relative to the protocol,
 * and a cohort that imports twins has its CSV/Parquet file read relative to the cohort.
 * A model file's problems name it by its path from the working directory (as the
 * protocol's own path is given), e.g. `models/x.model:12:3`. A cohort of calibrated
 * patients has its fits file read relative to the protocol; a file that cannot be read is
 * reported under cohort.calibration.file, and what a user should know about it (patients
 * without a posterior covariance) is printed as a note on stderr.
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
    const calibration = protocol.cohort.calibration;
    if (!calibration) {
      checkDataFile(path);
      return loadProtocol(text, file, readFile, await readImportedTable(db, path, source.categorical));
    }
    let fits;
    try {
      checkDataFile(path);
      fits = await readCalibrationFits(db, path);
    } catch (e) {
      if (!(e instanceof TwinFileError)) throw e;
      const at = ['cohort', 'calibration', 'file'];
      const line = parseYamlSpec(text, protocolSpec, file).lineOf(at);
      throw new SpecError([{ path: at, message: e.message, line }], file);
    }
    for (const note of fits.notes) process.stderr.write(`note: ${note}\n`);
    const resolved = loadProtocol(text, file, readFile, fits.table);
    for (const note of calibratedCohortNotes(calibration, fits.table))
      process.stderr.write(`note: ${file}: ${note}\n`);
    return resolved;
  } finally {
    await db.close();
  }
}
