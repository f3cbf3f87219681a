import { rowsOf, sqlString, type Connector } from '../db/connector';
import { CompareInputError } from './compare-errors';
import type { BaselineVisit } from './compare-run-design';
import type { RawArmSource, RoleColumn } from './compare-source';
import type { EndpointType } from './compare-types';
import { endpointValuesSql, hasTwinsInSeveralArms, observedArmSql } from './run-observed-values';

/**
 * A run stored in a Twinbench database as the source of an arm comparison: rows of
 * `endpoint(run_id, replicate, twin_id, arm, endpoint, value, censored)` for one endpoint
 * name, one run and one replicate. Only runs whose `run.status` is 'complete' are analysed.
 * For time-to-event endpoints `value` is the time and the event indicator is 1 − censored.
 * A run where a twin has values under several arms is counterfactual: the arm each twin is
 * observed in comes from `assignment(run_id, replicate, twin_id, arm)`, and the full table
 * feeds the per-twin treatment effects.
 */
export interface RunSelection {
  /** the endpoint's name in the endpoint table */
  endpoint: string;
  /** another endpoint of the same run holding each twin's baseline (continuous only) */
  baseline?: string;
  /**
   * else each twin's observation of a variable at a visit (compare-run-design); left out when
   * the run stored no such observation
   */
  baselineVisit?: BaselineVisit;
  /** default: the latest complete run */
  runId?: string;
  /** default: the only replicate of the run */
  replicate?: number;
  /** the database file, for the report */
  path: string;
}

export interface RunInfo {
  run_id: string;
  status: string;
}

async function tables(db: Connector): Promise<Set<string>> {
  return new Set(
    rowsOf<{ name: string }>(
      await db.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'`)
    ).map((r) => r.name)
  );
}

/** The run to analyse: `runId` if given (refused unless complete), else the latest complete run. */
export async function pickRun(db: Connector, runId?: string): Promise<string> {
  const columns = new Set(
    rowsOf<{ column_name: string }>(await db.query(`DESCRIBE run`)).map((r) => r.column_name)
  );
  const order = ['finished_at', 'started_at']
    .filter((c) => columns.has(c))
    .map((c) => `${c} DESC NULLS LAST, `);
  const runs = rowsOf<RunInfo>(
    await db.query(
      `SELECT CAST(run_id AS VARCHAR) AS run_id, CAST(status AS VARCHAR) AS status FROM run ` +
        `ORDER BY ${order.join('')}run_id DESC`
    )
  );
  const list = () => runs.map((r) => `${r.run_id} (${r.status})`).join(', ') || 'none';
  if (runId !== undefined) {
    const run = runs.find((r) => r.run_id === runId);
    if (!run) throw new CompareInputError(`--run: there is no run '${runId}' (runs: ${list()})`);
    if (run.status !== 'complete') {
      throw new CompareInputError(
        `run '${runId}' has status '${run.status}'; only complete runs are analysed (runs: ${list()})`
      );
    }
    return run.run_id;
  }
  const complete = runs.find((r) => r.status === 'complete');
  if (!complete) throw new CompareInputError(`the database has no complete run (runs: ${list()})`);
  return complete.run_id;
}

/** The raw source of one endpoint of one run (see RunSelection). */
export async function runArmSource(
  db: Connector,
  type: EndpointType,
  selection: RunSelection
): Promise<RawArmSource> {
  const have = await tables(db);
  for (const t of ['run', 'endpoint']) {
    if (!have.has(t))
      throw new CompareInputError(`${selection.path}: has no '${t}' table; is it a Twinbench run database?`);
  }
  const runId = await pickRun(db, selection.runId);
  const inRun = `CAST(run_id AS VARCHAR) = ${sqlString(runId)}`;
  const endpoints = rowsOf<{ e: string }>(
    await db.query(`SELECT DISTINCT CAST(endpoint AS VARCHAR) AS e FROM endpoint WHERE ${inRun} ORDER BY e`)
  ).map((r) => r.e);
  for (const [option, name] of [
    ['--endpoint', selection.endpoint],
    ['--baseline', selection.baseline]
  ] as const) {
    if (name !== undefined && !endpoints.includes(name)) {
      throw new CompareInputError(
        `${option}: run '${runId}' has no endpoint '${name}' (endpoints: ${endpoints.join(', ') || 'none'})`
      );
    }
  }
  if (selection.baseline !== undefined && type !== 'continuous') {
    throw new CompareInputError(`--baseline applies to continuous endpoints only`);
  }
  const replicates = rowsOf<{ r: number }>(
    await db.query(
      `SELECT DISTINCT replicate::DOUBLE AS r FROM endpoint WHERE ${inRun} AND endpoint = ${sqlString(selection.endpoint)} ORDER BY r`
    )
  ).map((r) => r.r);
  let replicate = selection.replicate;
  if (replicate === undefined) {
    if (replicates.length > 1) {
      throw new CompareInputError(
        `run '${runId}' has ${replicates.length} replicates (${replicates.slice(0, 10).join(', ')}` +
          `${replicates.length > 10 ? ', …' : ''}); choose one with --replicate`
      );
    }
    replicate = replicates[0];
  } else if (!replicates.includes(replicate)) {
    throw new CompareInputError(
      `--replicate: run '${runId}' has no replicate ${replicate} (replicates: ${replicates.join(', ')})`
    );
  }
  const where = `${inRun} AND replicate = ${replicate}`;
  const values = (name: string) => endpointValuesSql(where, name);
  const multiArm = await hasTwinsInSeveralArms(db, values(selection.endpoint));
  let observed = `(${values(selection.endpoint)}) AS e`;
  let counterfactual: string | null = null;
  if (multiArm) {
    if (!have.has('assignment')) {
      throw new CompareInputError(
        `run '${runId}' is counterfactual (twins have values under several arms) but the database has no ` +
          `'assignment' table saying which arm each twin is observed in`
      );
    }
    observed = observedArmSql(values(selection.endpoint), where);
    counterfactual =
      `SELECT twin_id AS twin_key, arm, CAST(value AS DOUBLE) AS y FROM (${values(selection.endpoint)}) ` +
      `WHERE value IS NOT NULL AND isfinite(CAST(value AS DOUBLE))`;
  }
  let baselineRows: string | null = selection.baseline
    ? `SELECT twin_id, arm, value AS b FROM (${values(selection.baseline)})`
    : null;
  let baselineName = `value of endpoint '${selection.baseline}'`;
  const visit = selection.baselineVisit;
  if (!baselineRows && visit && type === 'continuous' && have.has('observation')) {
    const rows =
      `SELECT twin_id, CAST(arm AS VARCHAR) AS arm, value AS b FROM observation WHERE ${where} ` +
      `AND variable = ${sqlString(visit.variable)} AND time_h = ${visit.time}`;
    const found = rowsOf<{ k: number }>(await db.query(`SELECT count(*)::DOUBLE AS k FROM (${rows})`))[0].k;
    if (found > 0) {
      baselineRows = rows;
      baselineName = `${visit.variable} at ${visit.time} h`;
    }
  }
  const baselineJoin = baselineRows
    ? ` LEFT JOIN (${baselineRows}) AS bl ON bl.twin_id = e.twin_id AND bl.arm = e.arm`
    : '';
  const relation =
    `SELECT row_number() OVER (ORDER BY e.twin_id, e.arm) AS row_id, e.twin_id, e.arm, e.value, e.censored` +
    `${baselineRows ? ', bl.b' : ''} FROM ${observed}${baselineJoin}`;
  const roles: RoleColumn[] =
    type === 'tte'
      ? [
          { role: 'time', column: 'value', expr: 'value', check: 'nonnegative' },
          {
            role: 'event',
            column: 'censored',
            expr: 'censored',
            check: 'binary',
            transform: (v) => `1 - ${v}`
          }
        ]
      : [{ role: 'y', column: 'value', expr: 'value', check: type === 'binary' ? 'binary' : 'number' }];
  if (baselineRows) roles.push({ role: 'baseline', column: baselineName, expr: 'b', check: 'number' });
  return {
    relation,
    armExpr: 'arm',
    armColumn: 'arm',
    rowLabel: `'twin ' || twin_id || ' (arm ' || arm || ')'`,
    roles,
    source: { kind: 'run', path: selection.path, runId, replicate: replicate ?? null },
    counterfactual
  };
}
