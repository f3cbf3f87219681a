/**
 * What a candidate regimen would do to a calibrated patient: its exposure (AUC, peak,
 * trough or average concentration over a window after the regimen starts) under each
 * posterior draw of the patient's etas, hence a 90 % prediction interval (5th–95th
 * percentiles over the draws) and the probability of reaching a target range — the
 * quantities model-informed precision dosing reports (Keizer RJ et al., CPT
 * Pharmacometrics Syst Pharmacol 2018;7:785–787; Neely MN et al., Antimicrob Agents
 * Chemother 2018;62:e02042-17 for vancomycin AUC-guided dosing).
 *
 * The regimen follows the patient's own dose history (doses already given stay), unless it
 * is `steadyState`: then it is simulated alone, started at its steady state, as if it had
 * always been given. Exposure is computed from the prediction on a grid with every dose
 * and infusion end as a grid point: AUC by the linear-up/log-down rule (`trial/nca`), the
 * peak as the largest value, the trough as the value at the end of the window (pre-dose
 * when a dose falls there).
 */
import type { Dose } from '../models/dosing';
import { resolveRegimen } from '../models/dosing';
import { aucLinearUpLogDown, cmax } from '../trial/nca';
import type { CalibrationModel } from './calibration-model';
import { drawBands } from './draw-bands';
import type { PatientObjective } from './patient-objective';
import type { PosteriorDraws } from './sample-posterior';

export interface CandidateRegimen {
  label?: string;
  /** mg per dose. */
  amount: number;
  /** h between doses. */
  interval: number;
  /** number of doses; default enough to cover the target's window. */
  count?: number;
  /** h on the patient's clock (the data's TIME); 0 with steadyState. */
  start: number;
  /** infusion duration (h); 0 or absent for a bolus or an oral dose. */
  duration?: number;
  /** dose target; default the model's first. */
  target?: string;
  steadyState?: boolean;
}

export type ExposureMetric = 'auc' | 'peak' | 'trough' | 'average';

export interface ExposureTarget {
  output: string;
  metric: ExposureMetric;
  /** The window, in h after the regimen's start. */
  from: number;
  to: number;
  low?: number;
  high?: number;
}

export interface RegimenForecast {
  regimen: CandidateRegimen;
  label: string;
  /** mg per 24 h. */
  dailyDose: number;
  /** The metric's 5th, 50th and 95th percentiles over the posterior draws, and its mean. */
  p5: number;
  p50: number;
  p95: number;
  mean: number;
  /** Fraction of draws with low ≤ metric ≤ high. */
  probability: number;
  /** The output's profile on the grid (h after the regimen's start) with its 5/50/95 % bands. */
  times: Float64Array;
  band5: Float64Array;
  band50: Float64Array;
  band95: Float64Array;
}

export function regimenLabel(r: CandidateRegimen): string {
  const infusion = r.duration ? ` over ${r.duration} h` : '';
  const count = r.count ? ` × ${r.count}` : '';
  return r.label ?? `${r.amount} mg every ${r.interval} h${count}${infusion}`;
}

/** The doses a candidate regimen gives (on the patient's clock). */
export function candidateDoses(model: CalibrationModel['model'], r: CandidateRegimen, count: number): Dose[] {
  const target = r.target ?? model.doseTargets[0]?.name;
  return Array.from({ length: count }, (_, k) => ({
    time: r.start + k * r.interval,
    amount: r.amount,
    target,
    duration: r.duration,
    steadyStateInterval: k === 0 && r.steadyState ? r.interval : undefined
  }));
}

function checkCandidate(r: CandidateRegimen, t: ExposureTarget, i: number): void {
  const bad = (field: string, why: string) => {
    throw new Error(`regimens[${i}].${field}: ${why}`);
  };
  if (!(r.amount >= 0 && Number.isFinite(r.amount)))
    bad('amount', `must be a dose in mg ≥ 0, got ${r.amount}`);
  if (!(r.interval > 0 && Number.isFinite(r.interval))) bad('interval', `must be > 0 h, got ${r.interval}`);
  if (r.count !== undefined && !(Number.isInteger(r.count) && r.count >= 1))
    bad('count', `must be a whole number ≥ 1, got ${r.count}`);
  if (!(r.start >= 0)) bad('start', `must be ≥ 0 h, got ${r.start}`);
  if (r.steadyState && r.start !== 0) bad('start', 'must be 0 for a steady-state regimen');
  if (!(t.to > t.from && t.from >= 0))
    throw new Error(`target: the window must have 0 ≤ from < to, got ${t.from}–${t.to} h`);
}

/** Grid over [start, start + to]: regular steps plus every dose time and infusion end. */
function forecastGrid(doses: readonly Dose[], start: number, to: number, step: number): Float64Array {
  const points = new Set<number>();
  const n = Math.ceil(to / step);
  for (let k = 0; k <= n; k++) points.add(start + Math.min(to, k * step));
  for (const d of doses) {
    for (const t of [d.time, d.time + (d.duration ?? 0)]) if (t >= start && t <= start + to) points.add(t);
  }
  return Float64Array.from(points).sort();
}

function percentile(sorted: Float64Array, p: number): number {
  // Type 7 (R's default quantile): linear between order statistics.
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

export function forecastRegimen(
  objective: PatientObjective,
  draws: PosteriorDraws,
  regimen: CandidateRegimen,
  target: ExposureTarget,
  index = 0
): RegimenForecast {
  checkCandidate(regimen, target, index);
  const { model, parameters, simulator } = objective.calibration;
  const output = model.outputs.findIndex((o) => o.name === target.output);
  if (output < 0)
    throw new Error(
      `target.output: model ${model.name} has no output '${target.output}' (has ${model.outputs.map((o) => o.name).join(', ')})`
    );
  const given = regimen.steadyState ? [] : objective.record.doses.filter((d) => d.time < regimen.start);
  const count = regimen.count ?? Math.max(1, Math.ceil(target.to / regimen.interval - 1e-9));
  const doses = [...given, ...candidateDoses(model, regimen, count)];
  const resolved = resolveRegimen(model, doses);
  const step = Math.min(0.25, regimen.interval / 48, (target.to - target.from) / 96);
  const grid = forecastGrid(doses, regimen.start, target.to, step);
  const nT = grid.length;
  const nOut = model.outputs.length;
  const prediction = new Float64Array(nOut * nT);
  const params = new Float64Array(parameters.nParameters);
  const eta = new Float64Array(draws.nEta);
  const metric = new Float64Array(draws.draws);
  const profiles = new Float64Array(draws.draws * nT);
  const relative = Float64Array.from(grid, (t) => t - regimen.start);
  for (let d = 0; d < draws.draws; d++) {
    for (let i = 0; i < draws.nEta; i++) eta[i] = draws.etas[d * draws.nEta + i];
    parameters.applyEtas(objective.typical, eta, params);
    simulator.simulateTwin(params, 0, resolved, grid, prediction, 1);
    const c = prediction.subarray(output * nT, (output + 1) * nT);
    profiles.set(c, d * nT);
    metric[d] = exposure(target, relative, c);
    if (!Number.isFinite(metric[d]))
      throw new Error(
        `patient ${objective.record.id}, ${regimenLabel(regimen)}: the predicted ${target.metric} of ${target.output} is not finite for a posterior draw`
      );
  }
  let inRange = 0;
  let sum = 0;
  for (const v of metric) {
    sum += v;
    if (v >= (target.low ?? -Infinity) && v <= (target.high ?? Infinity)) inRange++;
  }
  const sorted = Float64Array.from(metric).sort();
  const [band5, band50, band95] = drawBands(profiles, draws.draws, nT, [0.05, 0.5, 0.95]);
  return {
    regimen,
    label: regimenLabel(regimen),
    dailyDose: (regimen.amount * 24) / regimen.interval,
    p5: percentile(sorted, 0.05),
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    mean: sum / draws.draws,
    probability: inRange / draws.draws,
    times: relative,
    band5,
    band50,
    band95
  };
}

/** The target's metric of one profile c at times t (h after the regimen's start). */
export function exposure(target: ExposureTarget, t: Float64Array, c: ArrayLike<number>): number {
  const { from, to } = target;
  switch (target.metric) {
    case 'auc':
      return aucLinearUpLogDown(t, c, from, to);
    case 'average':
      return aucLinearUpLogDown(t, c, from, to) / (to - from);
    case 'peak':
      return cmax(t, c, from, to);
    case 'trough': {
      // The value at the window's end: the grid holds `to` exactly.
      let k = t.length - 1;
      while (k > 0 && t[k] > to) k--;
      return c[k];
    }
  }
}
