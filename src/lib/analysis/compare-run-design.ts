import { rowsOf, sqlString, type Connector } from '../db/connector';
import { factorialDesignOf } from './compare-factorial';
import type { FactorialDesign } from './compare-types';

/**
 * What a run's resolved protocol says about how to compare one endpoint: the baseline an
 * ANCOVA adjusts for, whether the endpoint is an exposure metric, and a 2×2 factorial design.
 * The baseline of a continuous endpoint is its variable observed at the schedule's first visit,
 * the value its change from baseline is computed from (engine/trial: `measure: change`);
 * it is offered when that visit has no window (the observation is then at a fixed time) and the
 * design is not a crossover (whose second period has a baseline of its own).
 */
export interface BaselineVisit {
  /** the model output observed */
  variable: string;
  /** the first visit's time in hours */
  time: number;
}

export interface EndpointDesign {
  baselineVisit: BaselineVisit | null;
  /** a pk endpoint (AUC, Cmax, Ctrough): the geometric mean ratio applies */
  exposure: boolean;
  factorial: FactorialDesign | null;
}

interface StoredProtocol {
  design?: string;
  schedule?: { visits?: unknown[] };
  endpoints?: { name: string; type: string; variable?: string; visit?: unknown }[];
}

/** The time (hours) and window of a resolved visit: a number or { time, window }. */
function visitTime(v: unknown): { time: number; window: number } | null {
  if (typeof v === 'number') return { time: v, window: 0 };
  const o = v as { time?: unknown; window?: unknown } | null;
  if (o && typeof o.time === 'number')
    return { time: o.time, window: typeof o.window === 'number' ? o.window : 0 };
  return null;
}

/** The comparison design of `endpoint` under a stored (resolved) protocol. */
export function endpointDesign(protocol: unknown, endpoint: string): EndpointDesign {
  const p = (protocol ?? {}) as StoredProtocol;
  const e = p.endpoints?.find((x) => x.name === endpoint);
  const none = { baselineVisit: null, exposure: e?.type === 'pk', factorial: null };
  if (!e || (e.type !== 'continuous' && e.type !== 'pk')) return none;
  const design = { ...none, factorial: factorialDesignOf(protocol) };
  if (e.type !== 'continuous' || !e.variable || p.design === 'crossover') return design;
  const first = visitTime(p.schedule?.visits?.[0]);
  const at = typeof e.visit === 'number' ? e.visit : visitTime(e.visit)?.time;
  if (!first || first.window > 0 || at === undefined || !(at > first.time)) return design;
  return { ...design, baselineVisit: { variable: e.variable, time: first.time } };
}

/** A run's resolved protocol, or null when the run table holds none (or it is not JSON). */
export async function runProtocol(db: Connector, runId: string): Promise<unknown> {
  const columns = rowsOf<{ column_name: string }>(await db.query(`DESCRIBE run`)).map((r) => r.column_name);
  if (!columns.includes('protocol')) return null;
  const row = rowsOf<{ protocol: string | null }>(
    await db.query(
      `SELECT CAST(protocol AS VARCHAR) AS protocol FROM run WHERE CAST(run_id AS VARCHAR) = ${sqlString(runId)}`
    )
  )[0];
  try {
    return row?.protocol ? JSON.parse(row.protocol) : null;
  } catch {
    return null;
  }
}
