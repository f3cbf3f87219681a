import { rowsOf, sqlIdent, type Connector } from '../db/connector';
import { resolveRegimen, type Dose } from '../engine/models';
import { predictionTwin } from '../engine/trial';
import { runDosesSql } from './run-doses';
import { runObservationsSql } from './run-observations';
import { storedRun, type StoredRun } from './run-plan';

/** Thrown for a twin the run does not have; the message names the ids allowed. */
export class TwinNotFoundError extends Error {
  override name = 'TwinNotFoundError';
}

export interface TwinCovariate {
  name: string;
  /** A number, or a categorical covariate's level name. */
  value: number | string | null;
  unit?: string;
}

/** A twin's course under one arm (a counterfactual run has one per arm). */
export interface TwinArmCourse {
  arm: string;
  /** The arm the twin was randomised to (observed in); every arm of a counterfactual run is simulated. */
  observed: boolean;
  /** Doses given, in time order (target: the model's dose-target name). */
  doses: { time: number; amount: number; target: string; infusion: number }[];
  /** Times of the dosing occasions the twin missed. */
  missed: number[];
  /** Stored visits and samples, with residual error. */
  observations: { variable: string; time: number; value: number }[];
  /**
   * The profile: the run's dense grid as stored (with residual error, as every stored
   * point), or else the model predicted without residual error on a fine grid.
   */
  profile: { variable: string; time: number; value: number }[];
  /** 'dense' (stored by the run) or 'predicted' (the model on the doses given; no rescue effect). */
  profileSource: 'dense' | 'predicted';
  /** Events in time order: dropout, discontinuation (detail: its reason), rescue, endpoint events (detail: the endpoint)… */
  events: { kind: string; detail: string | null; time: number }[];
  endpoints: { endpoint: string; value: number | null; censored: boolean }[];
}

export interface TwinStory {
  runId: number;
  twinId: number;
  replicate: number;
  nTwins: number;
  /** Study duration (h). */
  duration: number;
  covariates: TwinCovariate[];
  /** Variable (model output) names with their units. */
  variables: { name: string; unit?: string }[];
  courses: TwinArmCourse[];
}

/** A row of runDosesSql. */
interface GivenDose {
  time_h: number;
  amount: number;
  target: number;
  infusion_h: number;
  ss_interval: number;
}

/** Points of a predicted profile over the study (visits and dose times are added). */
const PREDICTION_POINTS = 1200;

/**
 * One twin of a complete run, replicate 0 (whose twins are the stored cohort): its
 * covariates, and under each arm it was simulated in its doses given and missed, visits,
 * profile, events and endpoint values. Every query filters on run_id and twin_id: the
 * tables are appended in twin order within a chunk, so DuckDB's min/max zone maps skip
 * all but a few row groups even for a 200,000-twin run.
 */
export async function twinStory(db: Connector, runId: number, twinId: number): Promise<TwinStory> {
  const run = await storedRun(db, runId);
  return twinStoryOf(db, run, twinId);
}

/** `twinStory` for a run already read (two twins of one run share it). */
export async function twinStoryOf(db: Connector, run: StoredRun, twinId: number): Promise<TwinStory> {
  const { plan, runId, cohortId } = run;
  if (!Number.isInteger(twinId) || twinId < 1 || twinId > run.nTwins)
    throw new TwinNotFoundError(`twin must be a whole number from 1 to ${run.nTwins} (got ${twinId})`);
  const where = `run_id = ${runId} AND replicate = 0 AND twin_id = ${twinId}`;
  const outputs = plan.model.outputs.map((o) => o.name);
  const targets = plan.model.doseTargets.map((t) => t.name);
  const columns = run.columns.filter((c) => c.name !== 'arm');

  const [covRow] = columns.length
    ? rowsOf(
        await db.query(
          `SELECT ${columns.map((c) => sqlIdent(c.name)).join(', ')} FROM twin WHERE cohort_id = ${cohortId} AND twin_id = ${twinId}`
        )
      )
    : [{}];
  const covariates = columns.map((c) => ({
    name: c.name,
    value: (covRow?.[c.name] ?? null) as number | string | null,
    unit: c.unit
  }));

  const observedArm = rowsOf<{ arm: number }>(
    await db.query(`SELECT arm FROM assignment_data WHERE ${where}`)
  )[0]?.arm;
  if (observedArm === undefined)
    throw new TwinNotFoundError(`twin ${twinId} has no assignment in run ${runId}`);
  // A counterfactual run simulates every twin under every arm.
  const armCodes = plan.protocol.design === 'counterfactual' ? run.arms.map((_, i) => i) : [observedArm];

  const doses = rowsOf<GivenDose & { arm: number }>(
    await db.query(
      `SELECT arm, time_h, amount, target, infusion_h, ss_interval FROM (${runDosesSql(plan, runId, cohortId, 0, `twin_id = ${twinId}`)}) ORDER BY arm, time_h`
    )
  );
  const events = rowsOf<{ arm: number; kind: string; endpoint: string | null; time_h: number }>(
    await db.query(
      `SELECT d.arm, k.name AS kind, e.name AS endpoint, d.time_h FROM event_data d
       JOIN run_name k ON k.run_id = d.run_id AND k.kind = 'event' AND k.code = d.kind
       LEFT JOIN run_name e ON e.run_id = d.run_id AND e.code = d.endpoint
         AND e.kind = CASE WHEN k.name = 'discontinuation' THEN 'reason' ELSE 'endpoint' END
       WHERE d.${where.replaceAll(' AND ', ' AND d.')} ORDER BY d.arm, d.time_h, d.kind`
    )
  );
  // Stored rows with residual error (a dense grid's points included); visits and samples
  // are the plan's sampled times, the rest draw the dense profile.
  const stored = rowsOf<{ arm: number; variable: number; time_h: number; value: number }>(
    await db.query(
      `SELECT arm, variable, time_h, value FROM (${runObservationsSql(runId, 0, `twin_id = ${twinId}`)}) ORDER BY arm, variable, time_h`
    )
  );
  const sampled = new Set(Array.from(plan.sampledIndex, (i) => plan.times[i]));
  const dense = plan.protocol.schedule.dense !== undefined;
  const endpoints = rowsOf<{ arm: number; endpoint: string; value: number; censored: number }>(
    await db.query(
      `SELECT d.arm, e.name AS endpoint, d.value, d.censored FROM endpoint_data d
       JOIN run_name e ON e.run_id = d.run_id AND e.kind = 'endpoint' AND e.code = d.endpoint
       WHERE d.${where.replaceAll(' AND ', ' AND d.')} ORDER BY d.arm, d.endpoint`
    )
  );

  const duration = plan.protocol.schedule.duration;
  const courses = armCodes.map((a): TwinArmCourse => {
    const given = doses.filter((d) => d.arm === a);
    const mine = events.filter((e) => e.arm === a);
    const rows = stored.filter((o) => o.arm === a);
    return {
      arm: run.arms[a],
      observed: a === observedArm,
      doses: given.map((d) => ({
        time: d.time_h,
        amount: d.amount,
        target: targets[d.target],
        infusion: d.infusion_h
      })),
      missed: mine.filter((e) => e.kind === 'missed_dose').map((e) => e.time_h),
      observations: rows
        .filter((o) => !dense || sampled.has(o.time_h))
        .map((o) => ({ variable: outputs[o.variable], time: o.time_h, value: o.value })),
      profile: dense
        ? rows.map((d) => ({ variable: outputs[d.variable], time: d.time_h, value: d.value }))
        : predictedProfile(run, twinId, given, duration),
      profileSource: dense ? 'dense' : 'predicted',
      events: mine
        .filter((e) => e.kind !== 'missed_dose')
        .map((e) => ({ kind: e.kind, detail: e.endpoint, time: e.time_h })),
      endpoints: endpoints
        .filter((e) => e.arm === a)
        .map((e) => ({
          endpoint: e.endpoint,
          value: Number.isFinite(e.value) ? e.value : null,
          censored: e.censored === 1
        }))
    };
  });
  return {
    runId,
    twinId,
    replicate: 0,
    nTwins: run.nTwins,
    duration,
    covariates,
    variables: plan.model.outputs.map((o) => ({ name: o.name, unit: o.unit })),
    courses
  };
}

/**
 * The twin's outputs without residual error on a fine grid, from its individual
 * parameters (predictionTwin: replicate 0's twin) and the doses it was given.
 */
function predictedProfile(
  run: StoredRun,
  twinId: number,
  given: GivenDose[],
  duration: number
): TwinArmCourse['profile'] {
  const { plan } = run;
  const twin = predictionTwin(plan, twinId);
  const doses: Dose[] = given.map((d) => ({
    time: d.time_h,
    amount: d.amount,
    target: plan.model.doseTargets[d.target].name,
    duration: d.infusion_h > 0 ? d.infusion_h : undefined,
    steadyStateInterval: d.ss_interval > 0 ? d.ss_interval : undefined
  }));
  const grid = new Set<number>();
  for (let k = 0; k <= PREDICTION_POINTS; k++) grid.add((duration * k) / PREDICTION_POINTS);
  for (const t of plan.times) grid.add(t);
  const times = Float64Array.from([...grid].sort((a, b) => a - b));
  const nOut = plan.model.outputs.length;
  const out = new Float64Array(nOut * times.length);
  plan.simulator.simulateTwin(twin.params, 0, resolveRegimen(plan.model, doses), times, out, twinId);
  const profile: TwinArmCourse['profile'] = [];
  for (let o = 0; o < nOut; o++)
    for (let k = 0; k < times.length; k++)
      if (Number.isFinite(out[o * times.length + k]))
        profile.push({
          variable: plan.model.outputs[o].name,
          time: times[k],
          value: out[o * times.length + k]
        });
  return profile;
}
