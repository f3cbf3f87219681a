import type { TrialChunk, TrialPlan } from '../engine/trial';
import { visitMeasure } from '../engine/trial/endpoint-value';
import type { MmrmInput } from '../stats/mmrmData';

/**
 * A simulated trial's observed repeated measures of a continuous visit endpoint, in the long
 * format a trial statistician analyses (stats/mmrm's input): one row per twin and post-baseline
 * visit up to the endpoint's visit, in the twin's assigned arm, with the twin's observed
 * baseline (the value at the schedule's first visit) as covariate. The outcome is the observed
 * value for an endpoint measured as the value or as the change from baseline: with the
 * baseline as covariate at every visit, the arm effects on the change and on the value are the
 * same (change = value − baseline only moves the baseline's slope by 1), and LOCF and BOCF then
 * carry values of the baseline's own scale forward. A percent change is analysed as it is
 * (power refuses LOCF and BOCF for it). Observations stop where
 * a twin's follow-up ends (dropout, loss to follow-up), so those visits are missing (NaN); a
 * twin without a baseline observation is left out. An observation belongs to the visit whose
 * window holds its time (visits with a window are jittered per twin).
 */
export interface ReplicateRepeatedMeasures {
  input: MmrmInput;
  /** the post-baseline visits' labels in time order (e.g. '6w') */
  visits: string[];
  /** the endpoint's visit label */
  at: string;
}

/** A visit time (h) as the protocol would write it: weeks, days or hours. */
export function visitLabel(hours: number): string {
  if (hours > 0 && hours % 168 === 0) return `${hours / 168}w`;
  if (hours > 0 && hours % 24 === 0) return `${hours / 24}d`;
  return `${hours}h`;
}

/** The repeated measures of endpoint `endpoint` (an index into plan.endpoints); see the file comment. */
export function replicateRepeatedMeasures(
  chunk: TrialChunk,
  plan: TrialPlan,
  endpoint: number
): ReplicateRepeatedMeasures {
  const e = plan.endpoints[endpoint];
  const spec = e.spec;
  if (spec.type !== 'continuous') throw new Error(`endpoint ${e.name} is not continuous`);
  const nominal = Array.from(plan.visitIndex, (k) => plan.times[k]);
  const window = plan.visitWindow;
  const last = nominal.indexOf(plan.times[e.obsIndex]);
  const V = last; // post-baseline visits 1 … last
  const { firstId, count } = chunk;
  const assigned = new Int16Array(count).fill(-1);
  const a = chunk.assignment;
  for (let i = 0; i < a.twin.length; i++) assigned[a.twin[i] - firstId] = a.arm[i];
  const baseline = new Float64Array(count).fill(NaN);
  const raw = new Float64Array(count * V).fill(NaN);
  const o = chunk.observation;
  for (let i = 0; i < o.twin.length; i++) {
    const j = o.twin[i] - firstId;
    if (o.variable[i] !== e.output || o.arm[i] !== assigned[j]) continue;
    const t = o.time[i];
    for (let v = 0; v <= last; v++) {
      if (Math.abs(t - nominal[v]) <= window[v] + 1e-9 * Math.max(1, Math.abs(t))) {
        if (v === 0) baseline[j] = o.value[i];
        else raw[j * V + v - 1] = o.value[i];
        break;
      }
    }
  }
  let rows = 0;
  for (let j = 0; j < count; j++) if (!Number.isNaN(baseline[j])) rows += V;
  const outcome = new Float64Array(rows);
  const base = new Float64Array(rows);
  const subject = new Int32Array(rows);
  const visit = new Array<string>(rows);
  const arm = new Array<string>(rows);
  const labels = nominal.slice(1, last + 1).map(visitLabel);
  const armNames = plan.arms.map((x) => x.name);
  let r = 0;
  for (let j = 0; j < count; j++) {
    const b = baseline[j];
    if (Number.isNaN(b)) continue;
    for (let v = 0; v < V; v++, r++) {
      const y = raw[j * V + v];
      outcome[r] = spec.measure === 'percent_change' ? visitMeasure(spec, y, b) : y;
      base[r] = b;
      subject[r] = firstId + j;
      visit[r] = labels[v];
      arm[r] = armNames[assigned[j]];
    }
  }
  return {
    input: { outcome, subject, visit, arm, baseline: base },
    visits: labels,
    at: labels[V - 1]
  };
}
