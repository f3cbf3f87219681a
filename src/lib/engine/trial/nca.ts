/**
 * Non-compartmental exposure from sampled concentrations: AUC by the linear-up/log-down
 * trapezoidal rule (linear while concentrations rise or stay, logarithmic while they
 * fall — Gabrielsson & Weiner, Pharmacokinetic and Pharmacodynamic Data Analysis, 5th
 * ed., §2.8), Cmax, and Ctrough as the last sampled concentration of the interval.
 * Samples outside [from, to] are ignored; NaN samples (after dropout) end the profile.
 */
export function aucLinearUpLogDown(
  t: ArrayLike<number>,
  c: ArrayLike<number>,
  from: number,
  to: number
): number {
  let auc = 0;
  let prevT = NaN;
  let prevC = NaN;
  for (let k = 0; k < t.length; k++) {
    if (t[k] < from || t[k] > to) continue;
    if (Number.isNaN(c[k])) break;
    if (!Number.isNaN(prevT)) {
      const dt = t[k] - prevT;
      const c1 = prevC;
      const c2 = c[k];
      auc += c2 < c1 && c2 > 0 ? ((c1 - c2) * dt) / Math.log(c1 / c2) : ((c1 + c2) * dt) / 2;
    }
    prevT = t[k];
    prevC = c[k];
  }
  return auc;
}

export function cmax(t: ArrayLike<number>, c: ArrayLike<number>, from: number, to: number): number {
  let m = NaN;
  for (let k = 0; k < t.length; k++) {
    if (t[k] < from || t[k] > to || Number.isNaN(c[k])) continue;
    if (!(c[k] <= m)) m = c[k];
  }
  return m;
}

export function ctrough(t: ArrayLike<number>, c: ArrayLike<number>, from: number, to: number): number {
  let last = NaN;
  for (let k = 0; k < t.length; k++) {
    if (t[k] < from || t[k] > to || Number.isNaN(c[k])) continue;
    last = c[k];
  }
  return last;
}
