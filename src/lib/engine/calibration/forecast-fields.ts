import type { CandidateRegimen, ExposureMetric, ExposureTarget } from './forecast';
import type { PatientRecord } from './patient-record';
import { parseTime } from '../../spec/duration';

/**
 * The exposure target and the candidate regimens as a person types them — the Calibrate
 * page's form fields and `twinbench forecast`'s options, text so that a half-typed value
 * is named, not coerced — read into the forecast's `ExposureTarget` and
 * `CandidateRegimen`s by pure functions shared by both.
 */

/** Candidate regimens compared at once: each is simulated under every posterior draw. */
export const MAX_CANDIDATES = 12;

export const METRICS: readonly { value: ExposureMetric; label: string }[] = [
  { value: 'auc', label: 'AUC' },
  { value: 'trough', label: 'trough' },
  { value: 'peak', label: 'peak' },
  { value: 'average', label: 'average concentration' }
];

export interface TargetFields {
  metric: ExposureMetric;
  output: string;
  /** The window, h after the regimen starts (numbers of hours or times such as 1d). */
  from: string;
  to: string;
  /** The range; a blank bound is open. */
  low: string;
  high: string;
  /** P(target) a regimen must reach to be recommended, in %. */
  threshold: string;
}

/**
 * Vancomycin's exposure target (Rybak MJ et al., Am J Health Syst Pharm 2020;77:835–864,
 * also in children): AUC over 24 h at steady state of 400–600 mg·h/L for an MIC of
 * 1 mg/L, reached with a probability of at least 80 %.
 */
export const defaultTarget = (output: string): TargetFields => ({
  metric: 'auc',
  output,
  from: '0',
  to: '24',
  low: '400',
  high: '600',
  threshold: '80'
});

export interface RegimenRow {
  dose: string;
  unit: 'mg' | 'mg/kg';
  /** h between doses. */
  every: string;
  /** Infusion duration; blank or 0 for a bolus (or an oral dose). */
  infusion: string;
}

/**
 * Paediatric vancomycin regimens around the usual 60 mg/kg/day (Le J et al., Pediatr
 * Infect Dis J 2013;32:e155–e163: 60–80 mg/kg/day to reach AUC24 ≥ 400), as 1-h infusions
 * every 6 or 8 hours.
 */
export const defaultRegimens = (): RegimenRow[] => [
  { dose: '12.5', unit: 'mg/kg', every: '6', infusion: '1' },
  { dose: '15', unit: 'mg/kg', every: '6', infusion: '1' },
  { dose: '17.5', unit: 'mg/kg', every: '6', infusion: '1' },
  { dose: '20', unit: 'mg/kg', every: '6', infusion: '1' },
  { dose: '20', unit: 'mg/kg', every: '8', infusion: '1' },
  { dose: '25', unit: 'mg/kg', every: '8', infusion: '1' }
];

/** When the candidates start: at steady state, or at a time on the patient's clock. */
export interface StartFields {
  steadyState: boolean;
  /** h on the data's clock (TIME), when not at steady state. */
  start: string;
}

type Problem<F> = { field: keyof F; message: string };

function parseNumber(text: string): number | undefined {
  const s = text.trim();
  return s === '' || !Number.isFinite(Number(s)) ? undefined : Number(s);
}

/** The target, or its first field that is wrong and why. */
export function readTarget(
  f: TargetFields,
  outputs: readonly string[]
): { target: ExposureTarget; threshold: number; problem?: undefined } | { problem: Problem<TargetFields> } {
  const fail = (field: keyof TargetFields, message: string) => ({ problem: { field, message } });
  if (!outputs.includes(f.output))
    return fail('output', `the model has no output '${f.output}' (has ${outputs.join(', ')})`);
  const from = parseTime(f.from);
  const to = parseTime(f.to);
  if (from === undefined || !(from >= 0))
    return fail('from', 'the window starts at a time ≥ 0, such as 0 or 48h');
  if (to === undefined || !(to > from) || !Number.isFinite(to))
    return fail('to', `the window ends at a time after its start (${from} h), such as 24 or 1d`);
  const low = parseNumber(f.low);
  const high = parseNumber(f.high);
  if (f.low.trim() !== '' && low === undefined)
    return fail('low', 'the lower bound must be a number (blank: none)');
  if (f.high.trim() !== '' && high === undefined)
    return fail('high', 'the upper bound must be a number (blank: none)');
  if (low === undefined && high === undefined)
    return fail('low', 'give a lower bound, an upper bound or both');
  if (low !== undefined && high !== undefined && !(low < high))
    return fail('high', `the upper bound must be above the lower bound (${low})`);
  const threshold = parseNumber(f.threshold);
  if (threshold === undefined || !(threshold > 0 && threshold <= 100))
    return fail('threshold', 'the probability to reach must be a percentage in (0, 100]');
  return {
    target: { output: f.output, metric: f.metric, from, to, low, high },
    threshold: threshold / 100
  };
}

/** The patient's weight (kg) from a covariate named weight or WT (any case), if any. */
export function patientWeight(record: PatientRecord): number | undefined {
  const entry = Object.entries(record.covariates).find(([name]) =>
    ['weight', 'wt'].includes(name.toLowerCase())
  );
  return entry && entry[1] > 0 ? entry[1] : undefined;
}

/** mg with at most two decimals, as a regimen's label and table show it. */
const mg = (x: number) => `${Math.round(x * 100) / 100} mg`;

/**
 * The candidate regimens (a dose in mg/kg is converted with the patient's weight), or a
 * problem per row (undefined for the rows that are right).
 */
export function readCandidates(
  rows: readonly RegimenRow[],
  start: StartFields,
  weight: number | undefined
): { regimens: CandidateRegimen[]; problems: (string | undefined)[]; listProblem?: string } {
  const problems = rows.map((row, i): string | undefined => {
    const dose = parseNumber(row.dose);
    if (dose === undefined || !(dose > 0)) return `regimen ${i + 1}: the dose must be a number > 0`;
    if (row.unit === 'mg/kg' && weight === undefined)
      return `regimen ${i + 1}: a dose in mg/kg needs the patient's weight (a column weight or WT in the data)`;
    const every = parseTime(row.every);
    if (every === undefined || !(every > 0) || !Number.isFinite(every))
      return `regimen ${i + 1}: the interval must be a time > 0, such as 6 or 12h`;
    const infusion = row.infusion.trim() === '' ? 0 : parseTime(row.infusion);
    if (infusion === undefined || !(infusion >= 0 && infusion < every))
      return `regimen ${i + 1}: the infusion must be a time ≥ 0 and shorter than the interval (blank: a bolus)`;
    return undefined;
  });
  const startTime = start.steadyState ? 0 : parseTime(start.start);
  const listProblem =
    rows.length === 0
      ? 'add a regimen to compare'
      : rows.length > MAX_CANDIDATES
        ? `at most ${MAX_CANDIDATES} regimens are compared at once (there are ${rows.length})`
        : startTime === undefined || !(startTime >= 0) || !Number.isFinite(startTime)
          ? "the regimens start at a time ≥ 0 on the data's clock (TIME, h), such as 24"
          : undefined;
  if (listProblem || problems.some(Boolean)) return { regimens: [], problems, listProblem };
  const regimens = rows.map((row): CandidateRegimen => {
    const dose = Number(row.dose);
    const amount = row.unit === 'mg/kg' ? dose * weight! : dose;
    const every = parseTime(row.every)!;
    const infusion = row.infusion.trim() === '' ? 0 : parseTime(row.infusion)!;
    const perKg = row.unit === 'mg/kg' ? `${dose} mg/kg ` : '';
    const over = infusion > 0 ? ` over ${infusion} h` : '';
    return {
      label: `${perKg}q${every}h (${mg(amount)}${over})`,
      amount,
      interval: every,
      duration: infusion > 0 ? infusion : undefined,
      start: startTime!,
      steadyState: start.steadyState
    };
  });
  return { regimens, problems };
}
