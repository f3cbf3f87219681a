import {
  compileProtocol,
  predictionDoses,
  predictionTwin,
  predictTwin,
  type ResolvedProtocol
} from '$lib/engine/trial';

const MAX_POINTS = 4000;
/** Hours after a dose at which the preview also samples (absorption and distribution). */
const AFTER_DOSE = [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12];
const MAX_DOSE_TIMES = 500;

export interface ProtocolPreview {
  arms: string[];
  /** Study duration (h). */
  duration: number;
  outputs: { name: string; unit: string }[];
  /** Twin 1's nominal doses per arm in mg (mg/kg and mg/m² resolved with its weight and BSA). */
  doses: { arm: string; time: number; amount: number }[];
  /** Twin 1's predicted outputs (no residual error) per arm on a fine time grid. */
  profile: { arm: string; output: string; time: number; value: number }[];
}

/**
 * What a protocol does to one twin before anything is run: twin 1 of replicate 0 (the
 * same twin, covariates and individual parameters as in a run with the protocol's seed)
 * under every arm, as in `twinbench simulate`, from 0 to the end of the
 * study. Pure and synchronous: one twin per arm is cheap enough for the page.
 */
export function protocolPreview(protocol: ResolvedProtocol, minPoints = 200): ProtocolPreview {
  const plan = compileProtocol(protocol);
  const duration = protocol.schedule.duration;
  const twin = predictionTwin(plan, 1);

  // An even grid of at least `minPoints`, fine enough to draw the rise and fall within
  // the shortest dosing interval (a coarser one aliases them into a false sawtooth), plus
  // times just after each dose and at the end of each infusion, where peaks are.
  const armDoses = plan.arms.map((_, a) => predictionDoses(plan, twin, a));
  const shortest = Math.min(
    ...plan.arms.map((a) => (a.placebo ? Infinity : (a.regimen?.interval ?? Infinity)))
  );
  const even = Math.min(MAX_POINTS, Math.max(minPoints, Math.ceil((12 * duration) / shortest) + 1 || 0));
  const grid = Array.from({ length: even }, (_, k) => (duration * k) / (even - 1));
  const doseTimes = [...new Set(armDoses.flat().map((d) => d.time))].slice(0, MAX_DOSE_TIMES);
  const infusions = [...new Set(armDoses.flat().flatMap((d) => (d.duration ? [d.duration] : [])))];
  for (const d of doseTimes) {
    for (const dt of [...AFTER_DOSE, ...infusions]) if (d + dt < duration) grid.push(d + dt);
  }
  const times = Float64Array.from(new Set(grid)).sort();
  const points = times.length;
  const outputs = plan.model.outputs.map((o) => ({ name: o.name, unit: o.unit }));
  const out = new Float64Array(outputs.length * points);
  const doses: ProtocolPreview['doses'] = [];
  const profile: ProtocolPreview['profile'] = [];
  for (const [a, arm] of plan.arms.entries()) {
    for (const d of armDoses[a]) doses.push({ arm: arm.name, time: d.time, amount: d.amount });
    predictTwin(plan, twin, a, times, out);
    outputs.forEach((o, i) => {
      for (let k = 0; k < points; k++) {
        const value = out[i * points + k];
        if (Number.isFinite(value)) profile.push({ arm: arm.name, output: o.name, time: times[k], value });
      }
    });
  }
  return {
    arms: plan.arms.map((a) => a.name),
    duration,
    outputs,
    doses,
    profile
  };
}
