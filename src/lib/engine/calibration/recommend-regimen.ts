/**
 * The regimen to recommend among forecasts, by the rule dose-individualisation tools
 * state (e.g. the ASHP/IDSA 2020 vancomycin guideline's "lowest dose reaching the AUC
 * target"): the smallest daily dose whose probability of reaching the target is at least
 * `threshold`; if none reaches it, the one with the highest probability, said as such.
 * Ties in daily dose go to the higher probability.
 */
import type { ExposureTarget, RegimenForecast } from './forecast';

export interface Recommendation {
  /** Index into the forecasts, or −1 when there are none. */
  index: number;
  reachesThreshold: boolean;
  reason: string;
}

function metricName(t: ExposureTarget): string {
  const what = { auc: 'AUC', peak: 'peak', trough: 'trough', average: 'average' }[t.metric];
  return `${what} of ${t.output} over ${t.from}–${t.to} h`;
}

function rangeText(t: ExposureTarget): string {
  if (t.low !== undefined && t.high !== undefined) return `in ${t.low}–${t.high}`;
  if (t.low !== undefined) return `≥ ${t.low}`;
  if (t.high !== undefined) return `≤ ${t.high}`;
  return 'defined';
}

const percent = (p: number) => `${Math.round(p * 1000) / 10} %`;

export function recommendRegimen(
  forecasts: readonly RegimenForecast[],
  target: ExposureTarget,
  threshold = 0.8
): Recommendation {
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`threshold: must be in (0, 1], got ${threshold}`);
  if (forecasts.length === 0) return { index: -1, reachesThreshold: false, reason: 'no regimen to compare' };
  const event = `P(${metricName(target)} ${rangeText(target)})`;
  let best = -1;
  forecasts.forEach((f, i) => {
    if (f.probability < threshold) return;
    const b = forecasts[best];
    if (
      best < 0 ||
      f.dailyDose < b.dailyDose ||
      (f.dailyDose === b.dailyDose && f.probability > b.probability)
    )
      best = i;
  });
  if (best >= 0) {
    const f = forecasts[best];
    return {
      index: best,
      reachesThreshold: true,
      reason: `${f.label}: the smallest daily dose (${round(f.dailyDose)} mg/day) with ${event} ≥ ${percent(threshold)} (${percent(f.probability)})`
    };
  }
  let top = 0;
  forecasts.forEach((f, i) => {
    if (f.probability > forecasts[top].probability) top = i;
  });
  const f = forecasts[top];
  return {
    index: top,
    reachesThreshold: false,
    reason: `no regimen reaches ${event} ≥ ${percent(threshold)}; ${f.label} comes closest (${percent(f.probability)})`
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
