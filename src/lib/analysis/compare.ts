import type { Connector } from '../db/connector';
import { openFileTable } from '../io/file-table';
import { analyzeArms, type AnalyzeOptions } from './compare-arms';
import { fileArmSource, type FileColumns } from './compare-file-source';
import { runArmSource } from './compare-run-source';
import type { Comparison, EndpointType } from './compare-types';

/**
 * Entry points of the arm comparison: `analyze` for an endpoint of a complete run in a
 * Twinbench database, `analyzeFile` for a user's CSV or Parquet file (one row per subject).
 * Both end in analyzeArms (compare-arms).
 */
export interface RunRef {
  /** a connection to the run database */
  db: Connector;
  /** the database file, for the report */
  path: string;
  /** default: the latest complete run */
  runId?: string;
  /** default: the run's only replicate */
  replicate?: number;
}

export interface EndpointRef {
  /** the endpoint's name in the endpoint table */
  name: string;
  type: EndpointType;
  /** another endpoint of the run holding the baseline (continuous; enables ANCOVA) */
  baseline?: string;
}

export type CompareOptions = Omit<AnalyzeOptions, 'type' | 'endpoint'>;

/** Compares the arms of a complete run for one endpoint (arm column `arm`). */
export async function analyze(
  run: RunRef,
  endpoint: EndpointRef,
  options: CompareOptions
): Promise<Comparison> {
  const raw = await runArmSource(run.db, endpoint.type, {
    endpoint: endpoint.name,
    baseline: endpoint.baseline,
    runId: run.runId,
    replicate: run.replicate,
    path: run.path
  });
  return analyzeArms(run.db, raw, { ...options, type: endpoint.type, endpoint: endpoint.name });
}

/** Compares the arms of a data file (CSV or Parquet) read through `db`. */
export async function analyzeFile(
  db: Connector,
  path: string,
  type: EndpointType,
  columns: FileColumns,
  options: CompareOptions
): Promise<Comparison> {
  const file = await openFileTable(db, path);
  try {
    const raw = fileArmSource(file, type, columns);
    return await analyzeArms(db, raw, { ...options, type, endpoint: columns.endpoint });
  } finally {
    await file.drop();
  }
}

export { analyzeArms, defaultPrimary, type AnalyzeOptions } from './compare-arms';
export { CompareInputError } from './compare-errors';
export type { FileColumns } from './compare-file-source';
export * from './compare-types';
