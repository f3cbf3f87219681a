import type { Table } from 'apache-arrow';
import { sqlIdent, sqlString, type Connector } from '../db/connector';
import { runDosesSql, RunDosesError } from './run-doses';
import { runObservationsSql } from './run-observations';
import { storedRun, type StoredRun } from './run-plan';

/** What a dataset's CMT numbers name: dose targets on dose rows, outputs on observations. */
export interface NonmemCompartment {
  cmt: number;
  /** 'dose' (EVID 1: a dose target of the model) or 'observation' (EVID 0: an output). */
  kind: 'dose' | 'observation';
  name: string;
}

export interface NonmemDataset {
  /** The SELECT giving the dataset's rows, for DuckDB's COPY (the CLI) or a query. */
  relation: string;
  compartments: NonmemCompartment[];
}

export interface NonmemDatasetOptions {
  /** The replicate exported (default 0, whose twins are the run's stored cohort). */
  replicate?: number;
}

/** The dataset's leading columns, in order; ARM and the twin's covariates follow. */
export const NONMEM_COLUMNS = [
  'ID',
  'TIME',
  'AMT',
  'DV',
  'EVID',
  'MDV',
  'CMT',
  'RATE',
  'SS',
  'II',
  'BLQ',
  'LLOQ'
];

/**
 * A run as a NONMEM/Monolix/nlmixr-style dataset (the conventions `readPatientData` reads,
 * docs/calibration.md "Patient data"), one replicate:
 * - a dose row per dose given (EVID 1, MDV 1, AMT, CMT the model's dose target, 1-based;
 *   RATE = AMT / duration for an infusion; SS 1 with II for a steady-state start); missed
 *   doses and doses after discontinuation or dropout are not rows (run-doses.ts);
 * - an observation row per stored visit or sample with residual error (EVID 0, MDV 0, DV,
 *   CMT the model's output, 1-based), in the arm the twin was observed in (a counterfactual
 *   run's other arms are not data a trial would have); a dense profile's points carry
 *   residual error too and are rows as well (a richly sampled dataset);
 * - below the output's LLOQ (residualError.lloq), Beal's M3 convention: BLQ 1 and DV the
 *   LLOQ (the value is censored, not observed), LLOQ on every observation of such an output;
 * - ARM and the twin's covariates on every row (a categorical one as its level's name).
 * Rows are sorted by ID, TIME, then observations before doses at the same time: the
 * engine observes a dosing time before that dose (a trough), and NONMEM, Monolix and
 * nlmixr process records of one time in file order.
 */
export async function nonmemDataset(
  db: Connector,
  runId: number,
  options: NonmemDatasetOptions = {}
): Promise<NonmemDataset> {
  const run = await storedRun(db, runId);
  return nonmemDatasetOf(run, options);
}

/** `nonmemDataset` for a run already read. */
export function nonmemDatasetOf(run: StoredRun, options: NonmemDatasetOptions = {}): NonmemDataset {
  const replicate = options.replicate ?? 0;
  if (!Number.isInteger(replicate) || replicate < 0 || replicate >= run.replicates)
    throw new RunDosesError(
      `replicate must be a whole number from 0 to ${run.replicates - 1} (got ${replicate})`
    );
  if (replicate !== 0)
    throw new RunDosesError(
      `replicate ${replicate}: only replicate 0's twins are stored with their covariates; export replicate 0`
    );
  const { plan, runId, cohortId } = run;
  const outputs = plan.model.outputs.map((o) => o.name);
  const lloq = outputs.map((name) => plan.modelSpec.residualError?.[name]?.lloq);
  const lloqValues = lloq.map((l, o) => `(${o}, ${l ?? 'NULL'})`).join(', ');
  const covariates = run.columns.filter(
    (c) => !NONMEM_COLUMNS.includes(c.name.toUpperCase()) && c.name !== 'arm'
  );
  const covSelect = covariates.map((c) => `t.${sqlIdent(c.name)}`).join(', ');
  const armNames = run.arms.map((a, i) => `(${i}, ${sqlString(a)})`).join(', ');
  const doses = runDosesSql(plan, runId, cohortId, replicate);
  const relation = `
    WITH doses AS (${doses}),
    limits(variable, lloq) AS (VALUES ${lloqValues}),
    arm_names(arm, name) AS (VALUES ${armNames}),
    observations AS (
      SELECT o.twin_id, o.arm, o.time_h, o.value, o.variable, l.lloq
      FROM (${runObservationsSql(runId, replicate)}) o
      JOIN assignment_data a
        ON a.run_id = ${runId} AND a.replicate = ${replicate} AND a.twin_id = o.twin_id AND a.arm = o.arm
      JOIN limits l ON l.variable = o.variable
    ),
    records AS (
      SELECT twin_id, arm, time_h AS "TIME", amount AS "AMT", NULL::DOUBLE AS "DV", 1 AS "EVID", 1 AS "MDV",
             target + 1 AS "CMT", CASE WHEN infusion_h > 0 THEN amount / infusion_h ELSE 0 END AS "RATE",
             CASE WHEN ss_interval > 0 THEN 1 ELSE 0 END AS "SS", ss_interval AS "II",
             0 AS "BLQ", NULL::DOUBLE AS "LLOQ"
      FROM doses
      UNION ALL
      SELECT twin_id, arm, time_h, 0, CASE WHEN value < lloq THEN lloq ELSE value END, 0, 0,
             variable + 1, 0, 0, 0, CASE WHEN value < lloq THEN 1 ELSE 0 END, lloq
      FROM observations
    )
    SELECT r.twin_id AS "ID", r."TIME", r."AMT", r."DV", r."EVID", r."MDV", r."CMT", r."RATE", r."SS", r."II",
           r."BLQ", r."LLOQ", n.name AS "ARM"${covSelect ? `, ${covSelect}` : ''}
    FROM records r JOIN arm_names n ON n.arm = r.arm
    LEFT JOIN twin t ON t.cohort_id = ${cohortId} AND t.twin_id = r.twin_id
    ORDER BY "ID", "TIME", "EVID"`;
  const compartments: NonmemCompartment[] = [
    ...plan.model.doseTargets.map((t, i) => ({ cmt: i + 1, kind: 'dose' as const, name: t.name })),
    ...outputs.map((name, i) => ({ cmt: i + 1, kind: 'observation' as const, name }))
  ];
  return { relation, compartments };
}

/** The dataset's rows as an Arrow table (the browser's export, tests). */
export async function runNonmemDataset(
  db: Connector,
  runId: number,
  options: NonmemDatasetOptions = {}
): Promise<{ table: Table; compartments: NonmemCompartment[] }> {
  const { relation, compartments } = await nonmemDataset(db, runId, options);
  return { table: await db.query(relation), compartments };
}

/** A small table naming each CMT number (written beside the dataset: NONMEM's $INPUT takes no comments). */
export function compartmentsCsv(compartments: readonly NonmemCompartment[]): string {
  return (
    [
      'CMT,EVID,kind,name',
      ...compartments.map((c) => `${c.cmt},${c.kind === 'dose' ? 1 : 0},${c.kind},${c.name}`)
    ].join('\n') + '\n'
  );
}
