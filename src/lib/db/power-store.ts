import { nextId } from './next-id';
import { Bool, Float64, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { APP_VERSION } from '../version';
import { execEach, sqlString, type Connector } from './connector';
import { ensureSchema, ensureWriterColumns, writerValues } from './schema';

/**
 * Power analyses in DuckDB: one `power` row per analysis and one `power_replicate` row
 * per (sample size, replicate trial, active arm) with its estimate and p-values, so a
 * user can drill into the replicates that failed. A study of operating characteristics
 * adds one `power_analysis` row per (sample size, replicate, analysis, active arm) with the
 * analysis's estimate, SE, df, CI and p, and one `power_truth` row per (sample size,
 * replicate, estimand, active arm) with the replicate's true effect.
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
CREATE TABLE IF NOT EXISTS power_analysis (
  power_id INTEGER, n INTEGER, replicate INTEGER, analysis VARCHAR, arm VARCHAR, estimate DOUBLE,
  std_err DOUBLE, df DOUBLE, ci_low DOUBLE, ci_high DOUBLE, p_value DOUBLE
);
CREATE TABLE IF NOT EXISTS power_truth (
  power_id INTEGER, n INTEGER, replicate INTEGER, estimand VARCHAR, arm VARCHAR, true_effect DOUBLE
);
`;

/** The tables holding a power study's replicate rows, deleted when it fails. */
export const POWER_DATA_TABLES = ['power_replicate', 'power_analysis', 'power_truth'] as const;

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
  const id = await nextId(db, 'power');
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

/** A block of replicates' analyses and true effects, laid out as the workers return them. */
export interface AnalysisReplicateRows {
  n: number;
  /** the first replicate of the block */
  first: number;
  count: number;
  analyses: readonly string[];
  estimands: readonly string[];
  /** active arms */
  arms: readonly string[];
  /** replicate, analysis, arm: estimate, SE, df, CI low, CI high, p */
  values: Float64Array;
  /** replicate, estimand, arm */
  truth: Float64Array;
}

/** Appends a block's rows to power_analysis and power_truth (NaN stored as NULL, infinities as they are). */
export async function insertAnalysisReplicates(
  db: Connector,
  powerId: number,
  rows: AnalysisReplicateRows
): Promise<void> {
  const A = rows.arms.length;
  const grid = (labels: readonly string[]) => {
    const m = rows.count * labels.length * A;
    const replicate = new Int32Array(m);
    const label = new Array<string>(m);
    const arm = new Array<string>(m);
    for (let i = 0; i < m; i++) {
      replicate[i] = rows.first + Math.floor(i / (labels.length * A));
      label[i] = labels[Math.floor(i / A) % labels.length];
      arm[i] = rows.arms[i % A];
    }
    const ids = {
      power_id: makeVector(new Int32Array(m).fill(powerId)),
      n: makeVector(new Int32Array(m).fill(rows.n)),
      replicate: makeVector(replicate)
    };
    return { m, ids, label: vectorFromArray(label, new Utf8()), arm: vectorFromArray(arm, new Utf8()) };
  };
  const column = (values: Float64Array, stride: number, field: number, m: number) => {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = values[i * stride + field];
    // NaN (not estimable) as NULL; an infinite SE, df or CI bound stays what it is.
    return vectorFromArray(
      Array.from(out, (x) => (Number.isNaN(x) ? null : x)),
      new Float64()
    );
  };
  const a = grid(rows.analyses);
  if (a.m > 0) {
    const f = (field: number) => column(rows.values, 6, field, a.m);
    await db.insertArrow(
      'power_analysis',
      new Table({
        ...a.ids,
        analysis: a.label,
        arm: a.arm,
        estimate: f(0),
        std_err: f(1),
        df: f(2),
        ci_low: f(3),
        ci_high: f(4),
        p_value: f(5)
      })
    );
  }
  const t = grid(rows.estimands);
  if (t.m > 0) {
    await db.insertArrow(
      'power_truth',
      new Table({ ...t.ids, estimand: t.label, arm: t.arm, true_effect: column(rows.truth, 1, 0, t.m) })
    );
  }
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
    ...POWER_DATA_TABLES.map((t) => `DELETE FROM ${t} WHERE power_id = ${powerId}`)
  ]);
}

/** Deletes a stored power study: its replicate rows first, then its row (every step tried). */
export async function deletePower(db: Connector, powerId: number): Promise<void> {
  const id = Math.trunc(powerId);
  await execEach(db, [
    ...POWER_DATA_TABLES.map((t) => `DELETE FROM ${t} WHERE power_id = ${id}`),
    `DELETE FROM power WHERE power_id = ${id}`
  ]);
}
