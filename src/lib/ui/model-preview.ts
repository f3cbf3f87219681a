import type { CompiledModel } from '../engine/model-language';
import { repeatedDoses, type Dose } from '../engine/models';
import { parseTime } from '../spec/duration';
import { MAX_DOSES_PER_TWIN } from '../spec/limits';

/**
 * The Models page's preview, as pure functions: the dose regimen typed in its form,
 * the time grid, and the range of each parameter's slider. The profile itself is the
 * model language's `checkedTypicalProfile`, the one `twinbench model simulate` prints.
 */

/** Points of the preview's time grid: smooth curves, and a few milliseconds per profile. */
export const PREVIEW_POINTS = 601;

/** The regimen as typed: text fields, so a half-typed value is reported, not coerced. */
export interface RegimenFields {
  amount: string;
  /** Time between doses: hours or a duration such as 12h or 1d. */
  every: string;
  count: string;
  target: string;
  /** Infusion duration; blank for the dose target's own (a bolus unless the model gives one). */
  infusion: string;
  /** How long to simulate. */
  horizon: string;
}

export interface Regimen {
  doses: Dose[];
  horizon: number;
}

/** The regimen's doses and horizon (hours), or the first field that is wrong and why. */
export function readRegimen(
  f: RegimenFields
):
  | { regimen: Regimen; problem?: undefined }
  | { regimen?: undefined; problem: { field: keyof RegimenFields; message: string } } {
  const fail = (field: keyof RegimenFields, message: string) => ({ problem: { field, message } });
  const amount = Number(f.amount);
  if (f.amount.trim() === '' || !Number.isFinite(amount) || amount < 0)
    return fail('amount', 'the amount must be a number ≥ 0');
  const count = Number(f.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_DOSES_PER_TWIN)
    return fail('count', `the number of doses must be a whole number from 1 to ${MAX_DOSES_PER_TWIN}`);
  const every = parseTime(f.every);
  if (count > 1 && (every === undefined || !(every > 0)))
    return fail('every', 'the dosing interval must be a time > 0, such as 24h or 12');
  const infusion = f.infusion.trim() === '' ? 0 : parseTime(f.infusion);
  if (infusion === undefined || !(infusion >= 0))
    return fail('infusion', "the infusion duration must be a time ≥ 0 (blank: the dose target's own)");
  const horizon = parseTime(f.horizon);
  if (horizon === undefined || !(horizon > 0) || !Number.isFinite(horizon))
    return fail('horizon', 'the time simulated must be a time > 0, such as 7d or 48');
  return { regimen: { doses: repeatedDoses(amount, f.target, every ?? 0, count, 0, infusion), horizon } };
}

/** PREVIEW_POINTS times from 0 to the horizon. */
export function previewTimes(horizon: number): Float64Array {
  return Float64Array.from({ length: PREVIEW_POINTS }, (_, k) => (horizon * k) / (PREVIEW_POINTS - 1));
}

/** Slider positions run from 0 to SLIDER_STEPS. */
export const SLIDER_STEPS = 1000;

/**
 * The range a parameter is known to stay in: its logit variability's bounds, or [0, 1]
 * for a bioavailability (a dose target's F). Parameters without one are absent.
 */
export function parameterBounds(compiled: CompiledModel): Map<string, readonly [number, number]> {
  const bounds = new Map<string, readonly [number, number]>();
  for (const t of compiled.model.doseTargets) if (t.bioavailability) bounds.set(t.bioavailability, [0, 1]);
  const logit = compiled.defaults.iiv?.bounds ?? {};
  for (const name of Object.keys(logit)) bounds.set(name, logit[name]);
  return bounds;
}

/**
 * A parameter's slider around its typical value: across its bounds when it has some
 * (`parameterBounds`), else a tenth to ten times the typical value on a log scale (a
 * rate or a volume matters by its ratio), or 0 to 10 for a typical value of 0. Values
 * are rounded to 3 significant digits, so they read well where they are written.
 */
export function sliderScale(
  typical: number,
  bounds?: readonly [number, number]
): { toValue(position: number): number; toPosition(value: number): number } {
  const round = (x: number) => Number(x.toPrecision(3));
  const clamp = (p: number) => Math.min(SLIDER_STEPS, Math.max(0, Math.round(p)));
  if (bounds || typical === 0) {
    const [lo, hi] = bounds ?? [0, 10];
    return {
      toValue: (p) => round(lo + (p / SLIDER_STEPS) * (hi - lo)),
      toPosition: (v) => clamp(((v - lo) / (hi - lo)) * SLIDER_STEPS)
    };
  }
  return {
    toValue: (p) => round(typical * 10 ** ((2 * p) / SLIDER_STEPS - 1)),
    toPosition: (v) => (v / typical > 0 ? clamp(((Math.log10(v / typical) + 1) / 2) * SLIDER_STEPS) : 0)
  };
}
