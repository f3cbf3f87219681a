import { EVENT_DISCONTINUATION, EVENT_DROPOUT, EVENT_MISSED_DOSE } from '../engine/trial/event-kinds';
import type { TrialPlan } from '../engine/trial';
import { regimenDoses } from '../engine/trial/regimen-doses';
import { sqlIdent } from '../db/connector';

/** Thrown when a run's doses cannot be told from what it stored; the message says why. */
export class RunDosesError extends Error {
  override name = 'RunDosesError';
}

/**
 * SQL for the primary drug's doses a run's twins were given (one replicate): each arm's
 * nominal regimen (`regimenDoses`, the engine's own), an mg/kg or mg/m² amount from the
 * twin's stored weight or BSA rounded to the smallest strength as the engine rounds it,
 * less the occasions the twin missed (its `missed_dose` events) and every dose from its
 * discontinuation or dropout on (no dose after the twin stopped the drug or left).
 * Columns: twin_id, arm (code), time_h, amount, target (0-based dose-target index),
 * infusion_h (0: bolus), ss_interval (0: none). `twinFilter` narrows the twins (SQL on
 * the assignment's `twin_id`), so one twin's doses are an indexed range, not a scan.
 *
 * Not expressible from stored rows, so refused: crossover periods and titrated arms
 * (their doses depend on the simulation), companion drugs (another model's doses).
 */
export function runDosesSql(
  plan: TrialPlan,
  runId: number,
  cohortId: number,
  replicate: number,
  twinFilter = 'TRUE'
): string {
  if (plan.protocol.design === 'crossover')
    throw new RunDosesError(
      `a crossover run's doses are not exported (designs allowed: parallel, counterfactual)`
    );
  const duration = plan.protocol.schedule.duration;
  const targets = plan.model.doseTargets.map((t) => t.name);
  const template: string[] = [];
  plan.arms.forEach((arm, a) => {
    if (arm.titration.length)
      throw new RunDosesError(
        `arm ${arm.name}: titrated doses depend on the simulation and are not exported`
      );
    if (arm.companion)
      throw new RunDosesError(
        `arm ${arm.name}: a companion drug's doses belong to another model and are not exported`
      );
    const r = arm.regimen;
    if (!r || arm.placebo) return;
    // Amounts per unit (mg, mg/kg or mg/m²), before the twin's weight or BSA and rounding.
    regimenDoses(arm, duration, 1, 1).forEach((d, k) => {
      const perUnit = k === 0 && r.loadingDose !== undefined ? r.loadingDose : r.dose;
      template.push(
        `(${a}, ${d.time}, ${perUnit}, ${targets.indexOf(d.target)}, ${d.duration ?? 0}, ${d.steadyStateInterval ?? 0}, ` +
          `'${r.unit}', ${r.strengths?.length ? Math.min(...r.strengths) : 0})`
      );
    });
  });
  if (!template.length) return EMPTY_DOSES;
  const col = (name: string, slot: number) => (slot >= 0 ? `t.${sqlIdent(name)}` : 'NULL');
  const weight = col('weight', plan.weightSlot);
  const bsa = col('bsa', plan.bsaSlot);
  // As regimenDoses: amount × weight or BSA, rounded to a multiple of the smallest strength
  // (at least one strength); mg doses are not rounded.
  const raw = `d.per_unit * CASE d.unit WHEN 'mg/kg' THEN ${weight} WHEN 'mg/m2' THEN ${bsa} ELSE 1 END`;
  const amount = `CASE WHEN d.unit = 'mg' OR d.step = 0 THEN ${raw} ELSE greatest(d.step, round((${raw}) / d.step) * d.step) END`;
  return `
    WITH tpl(arm, time_h, per_unit, target, infusion_h, ss_interval, unit, step) AS (VALUES ${template.join(', ')}),
    twins AS (
      SELECT twin_id, arm FROM assignment_data
      WHERE run_id = ${runId} AND replicate = ${replicate} AND (${twinFilter})
    ),
    stops AS (
      SELECT twin_id, arm, min(time_h) AS stop_h FROM event_data
      WHERE run_id = ${runId} AND replicate = ${replicate} AND kind IN (${EVENT_DISCONTINUATION}, ${EVENT_DROPOUT})
        AND twin_id IN (SELECT twin_id FROM twins)
      GROUP BY twin_id, arm
    ),
    missed AS (
      SELECT twin_id, arm, time_h FROM event_data
      WHERE run_id = ${runId} AND replicate = ${replicate} AND kind = ${EVENT_MISSED_DOSE}
        AND twin_id IN (SELECT twin_id FROM twins)
    )
    SELECT w.twin_id, w.arm, d.time_h, CAST(${amount} AS DOUBLE) AS amount, d.target,
           CAST(d.infusion_h AS DOUBLE) AS infusion_h, CAST(d.ss_interval AS DOUBLE) AS ss_interval
    FROM twins w JOIN tpl d ON d.arm = w.arm
    LEFT JOIN twin t ON t.cohort_id = ${cohortId} AND t.twin_id = w.twin_id
    LEFT JOIN stops s ON s.twin_id = w.twin_id AND s.arm = w.arm
    ANTI JOIN missed m ON m.twin_id = w.twin_id AND m.arm = w.arm AND m.time_h = d.time_h
    WHERE s.stop_h IS NULL OR d.time_h < s.stop_h`;
}

const EMPTY_DOSES = `SELECT CAST(NULL AS INTEGER) AS twin_id, CAST(NULL AS SMALLINT) AS arm, CAST(NULL AS DOUBLE) AS time_h,
  CAST(NULL AS DOUBLE) AS amount, CAST(NULL AS INTEGER) AS target, CAST(NULL AS DOUBLE) AS infusion_h,
  CAST(NULL AS DOUBLE) AS ss_interval WHERE FALSE`;
