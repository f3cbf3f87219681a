import { rowsOf, type Connector } from '../db/connector';
import { openFileTable } from '../io/file-table';
import { analyzeArms, type AnalyzeOptions } from './compare-arms';
import { fileArmSource, type FileColumns } from './compare-file-source';
import { endpointDesign, runProtocol } from './compare-run-design';
import { pickRun, runArmSource } from './compare-run-source';
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
  /**
   * without `baseline`, adjust a continuous endpoint for its variable at the first visit when
   * the run's protocol gives it one (compare-run-design); default true
   */
  baselineVisit?: boolean;
}

export type CompareOptions = Omit<AnalyzeOptions, 'type' | 'endpoint'>;

/**
 * Compares the arms of a complete run for one endpoint (arm column `arm`). The run's protocol
 * supplies what the data alone cannot: the baseline visit, whether the endpoint is an exposure
 * (geometric mean ratio) and a 2×2 factorial design (interaction test).
 */
export async function analyze(
  run: RunRef,
  endpoint: EndpointRef,
  options: CompareOptions
): Promise<Comparison> {
  let design = endpointDesign(null, endpoint.name);
  const known = rowsOf<{ k: number }>(
    await run.db.query(`SELECT count(*)::DOUBLE AS k FROM information_schema.tables WHERE table_name = 'run'`)
  );
  if (known[0].k > 0) {
    design = endpointDesign(await runProtocol(run.db, await pickRun(run.db, run.runId)), endpoint.name);
  }
  const continuous = endpoint.type === 'continuous';
  const raw = await runArmSource(run.db, endpoint.type, {
    endpoint: endpoint.name,
    baseline: endpoint.baseline,
    baselineVisit:
      continuous && endpoint.baselineVisit !== false ? (design.baselineVisit ?? undefined) : undefined,
    runId: run.runId,
    replicate: run.replicate,
    path: run.path
  });
  return analyzeArms(run.db, raw, {
    ...options,
    exposure: options.exposure ?? (continuous && design.exposure),
    factorial: options.factorial ?? (continuous ? (design.factorial ?? undefined) : undefined),
    type: endpoint.type,
    endpoint: endpoint.name
  });
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
export { factorialDesignOf } from './compare-factorial';
export { endpointDesign, type BaselineVisit, type EndpointDesign } from './compare-run-design';
export type { FileColumns } from './compare-file-source';
export * from './compare-types';
