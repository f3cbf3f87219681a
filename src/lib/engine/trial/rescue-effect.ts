/**
 * Rescue medication's effect on an output from the rescue time t_r on:
 * shift × (1 − exp(−(t − t_r)/onset)), a first-order onset reaching the full shift
 * (63 % after one `onset`), added to the output's predictions (before residual error) at
 * the grid times after t_r. Written with expm1 so that small t − t_r keep their precision.
 */
export function addRescueEffect(
  pred: Float64Array,
  times: Float64Array,
  output: number,
  shift: number,
  onset: number,
  rescueTime: number
): void {
  const nTT = times.length;
  for (let k = 0; k < nTT; k++) {
    const dt = times[k] - rescueTime;
    if (dt > 0) pred[output * nTT + k] += -shift * Math.expm1(-dt / onset);
  }
}
