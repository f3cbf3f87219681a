import { tableFromArrays, type Table } from 'apache-arrow';
import { rowsOf, scalar, sqlString, type Connector } from '../db/connector';
import type { HistogramBins } from '../plots/histogram';
import type { PowerResult, SizePower } from '../runner/power';
import { histogramBins } from './histogram-bins';

/**
 * Stored power studies read back (the `power` and `power_replicate` tables of
 * db/power-store): the list the Power page shows, a complete study's result (the
 * `summary` column holds its PowerResult as JSON), one size's replicates and the
 * replicate rows for export. Reading writes nothing: before the first study there is
 * no `power` table, and the list is empty.
 */
export interface PowerStudyRecord {
  powerId: number;
  name: string;
  /** the sizes asked for (a target search adds sizes between them) */
  sizes: number[];
  /** replicates per size, from the stored replicate rows; null when none are kept */
  replicates: number | null;
  /** the primary method's code (compare-method-names gives its readable name) */
  method: string;
  alpha: number;
  delta: number | null;
  status: 'running' | 'complete' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  startedAt: string;
  seconds: number | null;
}

/** A complete study as its run left it: the record, its seed and the protocol it simulated. */
export interface PowerStudy {
  record: PowerStudyRecord;
  result: PowerResult;
  seed: number;
  /** the resolved protocol simulated (the null scenario's when the study ran one) */
  protocol: unknown;
}

/** One replicate trial's primary comparison for one active arm. */
export interface PowerReplicateRow {
  replicate: number;
  arm: string;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  pAdjusted: number | null;
  significant: boolean;
  success: boolean;
}

export interface PowerReplicatePage {
  /** rows of this size in all (replicates × active arms) */
  total: number;
  offset: number;
  rows: PowerReplicateRow[];
}

async function hasPowerTables(db: Connector): Promise<boolean> {
  const count = await scalar<number>(
    db,
    `SELECT count(*)::DOUBLE FROM information_schema.tables
     WHERE table_schema = 'main' AND table_name IN ('power', 'power_replicate')`
  );
  return count === 2;
}

const RECORD_COLUMNS = `p.power_id AS "powerId", p.name, p.sizes, r.replicates, p.method, p.alpha,
  p.delta, p.status, p.error, CAST(date_trunc('second', p.started_at) AS VARCHAR) AS "startedAt", p.seconds`;

// Replicates r = 0 … R-1 are stored for every size; a study that stopped keeps none.
const RECORD_FROM = `power p LEFT JOIN (
  SELECT power_id, (max(replicate) + 1)::DOUBLE AS replicates FROM power_replicate GROUP BY power_id
) r USING (power_id)`;

function toRecord(r: Record<string, unknown>): PowerStudyRecord {
  return {
    ...(r as unknown as PowerStudyRecord),
    sizes: JSON.parse(r.sizes as string) as number[]
  };
}

/** Every stored power study, newest first. */
export async function listPowerStudies(db: Connector): Promise<PowerStudyRecord[]> {
  if (!(await hasPowerTables(db))) return [];
  return rowsOf<Record<string, unknown>>(
    await db.query(`SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} ORDER BY p.power_id DESC`)
  ).map(toRecord);
}

/** A complete study with its result; a message naming the study when it has none. */
export async function loadPowerStudy(db: Connector, powerId: number): Promise<PowerStudy> {
  const id = Math.trunc(powerId);
  const rows = (await hasPowerTables(db))
    ? rowsOf<Record<string, unknown>>(
        await db.query(
          `SELECT ${RECORD_COLUMNS}, p.summary, p.seed::DOUBLE AS seed, p.protocol
           FROM ${RECORD_FROM} WHERE p.power_id = ${id}`
        )
      )
    : [];
  if (!rows.length) throw new Error(`no power study #${id} in this workspace`);
  const row = rows[0];
  const record = toRecord(row);
  if (record.status !== 'complete' || typeof row.summary !== 'string')
    throw new Error(`power study #${id} is ${record.status}: only a complete study keeps its results`);
  return {
    record,
    result: { ...(JSON.parse(row.summary) as PowerResult), powerId: id },
    seed: row.seed as number,
    protocol: JSON.parse(row.protocol as string)
  };
}

const sizeFilter = (powerId: number, n: number) =>
  `power_id = ${Math.trunc(powerId)} AND n = ${Math.trunc(n)}`;

/**
 * One size's replicate rows in replicate order, `limit` of them from `offset`; within a
 * replicate the arms in `page.arms`'s order (the protocol's), else by name.
 */
export async function powerReplicates(
  db: Connector,
  powerId: number,
  n: number,
  page: { offset?: number; limit?: number; arms?: readonly string[] } = {}
): Promise<PowerReplicatePage> {
  const armOrder = page.arms?.length ? `list_position([${page.arms.map(sqlString).join(', ')}], arm), ` : '';
  const offset = Math.max(0, Math.trunc(page.offset ?? 0));
  const limit = Math.max(1, Math.trunc(page.limit ?? 50));
  const total = await scalar<number>(
    db,
    `SELECT count(*)::DOUBLE FROM power_replicate WHERE ${sizeFilter(powerId, n)}`
  );
  const rows = rowsOf<PowerReplicateRow>(
    await db.query(
      `SELECT replicate, arm, estimate, ci_low AS "ciLow", ci_high AS "ciHigh", p_value AS "pValue",
              p_adjusted AS "pAdjusted", significant, success
       FROM power_replicate WHERE ${sizeFilter(powerId, n)}
       ORDER BY replicate, ${armOrder}arm LIMIT ${limit} OFFSET ${offset}`
    )
  );
  return { total, offset, rows };
}

/** Equal-width bins of one size's replicate estimates in one arm (computed in SQL). */
export function powerEstimateBins(
  db: Connector,
  powerId: number,
  n: number,
  arm: string,
  bins = 20
): Promise<HistogramBins> {
  return histogramBins(
    db,
    `SELECT estimate FROM power_replicate WHERE ${sizeFilter(powerId, n)} AND arm = ${sqlString(arm)} AND isfinite(estimate)`,
    'estimate',
    bins
  );
}

/** Every replicate row of a study, by size, replicate and arm: the replicates' CSV. */
export async function powerReplicateTable(db: Connector, powerId: number): Promise<Table> {
  return db.query(
    `SELECT n, replicate, arm, estimate, ci_low, ci_high, p_value, p_adjusted, significant, success
     FROM power_replicate WHERE power_id = ${Math.trunc(powerId)} ORDER BY n, replicate, arm`
  );
}

/**
 * The per-size table as shown (one row per size and active arm, in increasing n), with
 * `partial` true for a size that ran fewer replicates than asked (a cancelled study).
 */
export function powerSizeTable(sizes: readonly SizePower[], replicatesAsked: number): Table {
  const rows = [...sizes].sort((a, b) => a.n - b.n).flatMap((s) => s.arms.map((a) => ({ s, a })));
  return tableFromArrays({
    n: Float64Array.from(rows, (r) => r.s.n),
    replicates: Float64Array.from(rows, (r) => r.s.replicates),
    partial: rows.map((r) => r.s.replicates < replicatesAsked),
    arm: rows.map((r) => r.a.arm),
    power: Float64Array.from(rows, (r) => r.a.power),
    ci_low: Float64Array.from(rows, (r) => r.a.ciLow),
    ci_high: Float64Array.from(rows, (r) => r.a.ciHigh),
    probability_of_success: Float64Array.from(rows, (r) => r.a.probabilityOfSuccess),
    mean_estimate: rows.map((r) => (Number.isFinite(r.a.meanEstimate) ? r.a.meanEstimate : null))
  });
}
