import type { Dose } from '../models';
import type { Regimen } from '../../spec/protocol-schema';
import type { CompiledArm } from './compile-arms';

/**
 * Doses a regimen lists (`doses`, or one per interval over its duration or the study);
 * those after the end of the study are dropped when the doses are made.
 */
export function nominalDoseCount(r: Regimen, studyDuration: number): number {
  const interval = r.interval ?? Infinity;
  const end = r.duration !== undefined ? r.start + r.duration : studyDuration;
  return (
    r.doses ?? (Number.isFinite(interval) ? Math.max(1, Math.ceil((end - r.start) / interval - 1e-9)) : 1)
  );
}

/**
 * A twin's nominal doses for an arm: amount per dose (mg, or mg/kg × weight, or
 * mg/m² × BSA rounded to a multiple of the smallest available strength), a loading
 * first dose, and the dosing times of the regimen within the study.
 */
export function regimenDoses(arm: CompiledArm, studyDuration: number, weight: number, bsa: number): Dose[] {
  const r = arm.regimen;
  if (arm.placebo || !r) return [];
  const perUnit = r.unit === 'mg/kg' ? weight : r.unit === 'mg/m2' ? bsa : 1;
  const round = (amount: number) => {
    if (r.unit === 'mg' || !r.strengths?.length) return amount;
    const step = Math.min(...r.strengths);
    return Math.max(step, Math.round(amount / step) * step);
  };
  const interval = r.interval ?? Infinity;
  const count = nominalDoseCount(r, studyDuration);
  const doses: Dose[] = [];
  for (let k = 0; k < count; k++) {
    const time = r.start + k * (Number.isFinite(interval) ? interval : 0);
    if (time > studyDuration) break;
    const amount = round((k === 0 && r.loadingDose !== undefined ? r.loadingDose : r.dose) * perUnit);
    doses.push({
      time,
      amount,
      target: arm.target,
      duration: r.infusion,
      steadyStateInterval: k === 0 && r.steadyState && Number.isFinite(interval) ? interval : undefined
    });
  }
  return doses;
}
