import { Bool, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { APP_VERSION } from '../version';
import { execEach, scalar, sqlString, type Connector } from './connector';
import { ensureSchema, ensureWriterColumns, writerValues } from './schema';

/**
 * Power analyses in DuckDB: one `power` row per analysis and one `power_replicate` row
 * per (sample size, replicate trial, active arm) with its estimate and p-values, so a
 * user can drill into the replicates that failed.
 */
export const POWER_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS power (
  power_id INTEGER NOT NULL, name VARCHAR NOT NULL, protocol VARCHAR NOT NULL, seed BIGINT NOT NULL,
  sizes VARCHAR NOT NULL, alpha DOUBLE NOT NULL, delta DOUBLE, arms VARCHAR NOT NULL, method VARCHAR NOT NULL,
  summary VARCHAR, status VARCHAR NOT NULL, error VARCHAR, started_at TIMESTAMP NOT NULL, seconds DOUBLE,
  app_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS power_replicate (
  power_id INTEGER, n INTEGER, replicate INTEGER, arm VARCHAR, estimate DOUBLE, ci_low DOUBLE, ci_high DOUBLE,
  p_value DOUBLE, p_adjusted DOUBLE, significant BOOLEAN, success BOOLEAN
);
`;

export async function beginPower(
  db: Connector,
  args: {
    name: string;
    protocol: unknown;
    seed: number;
    sizes: number[];
    alpha: number;
    delta?: number;
    arms: string[];
    method: string;
  }
): Promise<number> {
  await ensureSchema(db);
  await db.exec(POWER_SCHEMA_SQL);
  await ensureWriterColumns(db, 'power');
  const id = ((await scalar<number | null>(db, `SELECT max(power_id) FROM power`)) ?? 0) + 1;
  await db.exec(
    `INSERT INTO power (power_id, name, protocol, seed, sizes, alpha, delta, arms, method, status, started_at, app_version, writer_pid, writer_host) VALUES (` +
      [
        id,
        sqlString(args.name),
        sqlString(JSON.stringify(args.protocol)),
        args.seed,
        sqlString(JSON.stringify(args.sizes)),
        args.alpha,
        args.delta ?? 'NULL',
        sqlString(JSON.stringify(args.arms)),
        sqlString(args.method),
        `'running'`,
        'current_timestamp',
        sqlString(APP_VERSION),
        ...writerValues(db)
      ].join(', ') +
      ')'
  );
  return id;
}

export interface ReplicateRows {
  n: number;
  replicate: Int32Array;
  arm: string[];
  estimate: Float64Array;
  ciLow: Float64Array;
  ciHigh: Float64Array;
  pValue: Float64Array;
  pAdjusted: Float64Array;
  significant: boolean[];
  success: boolean[];
}

export async function insertReplicates(db: Connector, powerId: number, rows: ReplicateRows): Promise<void> {
  const m = rows.replicate.length;
  const nan = (a: Float64Array) => makeVector(a.map((x) => (Number.isFinite(x) ? x : NaN)));
  await db.insertArrow(
    'power_replicate',
    new Table({
      power_id: makeVector(new Int32Array(m).fill(powerId)),
      n: makeVector(new Int32Array(m).fill(rows.n)),
      replicate: makeVector(rows.replicate),
      arm: vectorFromArray(rows.arm, new Utf8()),
      estimate: nan(rows.estimate),
      ci_low: nan(rows.ciLow),
      ci_high: nan(rows.ciHigh),
      p_value: makeVector(rows.pValue),
      p_adjusted: makeVector(rows.pAdjusted),
      significant: vectorFromArray(rows.significant, new Bool()),
      success: vectorFromArray(rows.success, new Bool())
    })
  );
}

export async function completePower(
  db: Connector,
  powerId: number,
  summary: unknown,
  seconds: number
): Promise<void> {
  await db.exec(
    `UPDATE power SET status = 'complete', summary = ${sqlString(JSON.stringify(summary))}, seconds = ${seconds} ` +
      `WHERE power_id = ${powerId}`
  );
}

/** Marks a power study failed or cancelled and deletes its replicate rows (every step tried). */
export async function abandonPower(
  db: Connector,
  powerId: number,
  status: 'failed' | 'cancelled' | 'interrupted',
  error: string
): Promise<void> {
  await execEach(db, [
    `UPDATE power SET status = ${sqlString(status)}, error = ${sqlString(error)} WHERE power_id = ${powerId}`,
    `DELETE FROM power_replicate WHERE power_id = ${powerId}`
  ]);
}
