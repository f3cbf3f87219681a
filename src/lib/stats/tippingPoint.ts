// Tipping-point analysis of a multiple-imputation result (delta adjustment: Ratitch, O'Kelly &
// Tosiello 2013, Pharm Stat 12:337–347; EMA Guideline on Missing Data in Confirmatory Clinical
// Trials, 2010, §6.3): a shift δ is added to every imputed value of one active arm at the analysed
// visit, the imputed datasets are analysed and pooled again, and δ grows over a grid until the
// pooled p-value reaches alpha. The imputations are drawn once and shared by every δ, so the grid
// changes nothing but the shift. Without a grid, 21 points run from 0 to the δ at which the
// pooled estimate is 0 (the estimate is linear in δ: the design does not change).
import { ancovaAtVisit } from './ancovaAtVisit';
import { StatsInputError } from './errors';
import type { ImputationModel } from './imputeMar';
import type { MmrmDataOptions, MmrmInput } from './mmrmData';
import { multipleImputation, type MultipleImputationMethod } from './multipleImputation';
import { poolAncovaFits, type MissingDataEffect } from './poolAncovaFits';
import { armIndex, repeatedMeasures, visitIndex } from './repeatedMeasures';
import { assertConfLevel } from './validate';

export interface TippingPointOptions extends MmrmDataOptions {
  /** the imputation before the shift; default 'mi_mar' */
  method?: (typeof TIPPING_METHODS)[number];
  /** the active arm shifted; default the only active arm */
  arm?: string;
  /** visit level analysed; default the last visit */
  at?: string;
  /** shifts to try, in order; default 21 points from 0 to where the estimate is 0 */
  deltas?: readonly number[];
  /** significance level; default 0.05 */
  alpha?: number;
  imputations?: number;
  seed?: number;
  reference?: string;
  imputationModel?: ImputationModel;
  confLevel?: number;
}

export interface TippingPointRow extends Omit<MissingDataEffect, 'arm'> {
  delta: number;
  significant: boolean;
}

export interface TippingPointResult {
  method: string;
  arm: string;
  at: string;
  alpha: number;
  imputations: number;
  seed: number;
  /** imputed values shifted per imputation (the arm's subjects missing at the visit) */
  shifted: number;
  grid: TippingPointRow[];
  /** the first δ of the grid whose pooled p-value is ≥ alpha; null when every δ stays significant */
  tippingDelta: number | null;
}

const TIPPING_METHODS = ['mi_mar', 'mi_j2r', 'mi_cr', 'mi_cir'] as const;
const GRID_POINTS = 21;
const MAX_GRID = 1000;

/** Runs the tipping-point analysis; see the file comment. */
export function tippingPoint(input: MmrmInput, options: TippingPointOptions): TippingPointResult {
  const method = options.method ?? 'mi_mar';
  if (!TIPPING_METHODS.includes(method)) {
    throw new StatsInputError(`method "${method}" is not one of ${TIPPING_METHODS.join(', ')}`);
  }
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new StatsInputError(`alpha must be in (0, 1), got ${alpha}`);
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const data = repeatedMeasures(input, options);
  const visit = visitIndex(data, options.at);
  const V = data.nVisits;
  if (options.arm === undefined && data.arms.length > 2) {
    throw new StatsInputError(
      `arm must name the active arm to shift; arms are ${data.arms.slice(1).join(', ')}`
    );
  }
  const arm = armIndex(data, options.arm ?? data.arms[1], 'arm');
  if (arm === 0)
    throw new StatsInputError(`arm "${data.arms[0]}" is the control; name an active arm to shift`);
  const shiftAt: number[] = [];
  for (let s = 0; s < data.nSubjects; s++) {
    if (data.arm[s] === arm && Number.isNaN(data.y[s * V + visit])) shiftAt.push(s * V + visit);
  }
  if (shiftAt.length === 0) {
    throw new StatsInputError(
      `arm "${data.arms[arm]}" has no missing values at visit "${data.visits[visit]}": there is nothing to shift`
    );
  }
  const imputations = options.imputations ?? 20;
  const seed = options.seed ?? 1;
  const completed = multipleImputation(data, {
    method: method.slice(3) as MultipleImputationMethod,
    imputations,
    seed,
    reference: options.reference === undefined ? undefined : armIndex(data, options.reference, 'reference'),
    model: options.imputationModel
  });
  const k = arm - 1;
  const scratch = new Float64Array(data.y.length);
  const pooledAt = (delta: number): MissingDataEffect => {
    const fits = completed.map((y) => {
      scratch.set(y);
      for (const i of shiftAt) scratch[i] += delta;
      return ancovaAtVisit(data, scratch, visit, confLevel);
    });
    return poolAncovaFits(fits, confLevel)[k];
  };
  let deltas = options.deltas;
  if (deltas === undefined) {
    const at0 = pooledAt(0);
    const slope = pooledAt(1).estimate - at0.estimate;
    const end = -at0.estimate / slope;
    if (!Number.isFinite(end)) {
      throw new StatsInputError(`shifting arm "${data.arms[arm]}" does not move its estimate; give deltas`);
    }
    deltas = Array.from({ length: GRID_POINTS }, (_, i) => (end * i) / (GRID_POINTS - 1));
  }
  if (deltas.length === 0 || deltas.length > MAX_GRID) {
    throw new StatsInputError(`deltas must list 1 to ${MAX_GRID} shifts, got ${deltas.length}`);
  }
  deltas.forEach((d, i) => {
    if (!Number.isFinite(d)) throw new StatsInputError(`deltas[${i}] is not a finite number (${d})`);
  });
  const grid: TippingPointRow[] = deltas.map((delta) => {
    const e = pooledAt(delta);
    return {
      delta,
      estimate: e.estimate,
      stdErr: e.stdErr,
      df: e.df,
      ciLow: e.ciLow,
      ciHigh: e.ciHigh,
      statistic: e.statistic,
      pValue: e.pValue,
      withinVariance: e.withinVariance,
      betweenVariance: e.betweenVariance,
      fmi: e.fmi,
      significant: e.pValue < alpha
    };
  });
  const tipping = grid.find((r) => !r.significant);
  return {
    method,
    arm: data.arms[arm],
    at: data.visits[visit],
    alpha,
    imputations,
    seed,
    shifted: shiftAt.length,
    grid,
    tippingDelta: tipping ? tipping.delta : null
  };
}
