// Test problems for the minimiser, restated from tests/golden/optimize/optimize-golden.R.

/** Chained Rosenbrock: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)². */
export function rosenbrock(x: Float64Array): number {
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    f += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  }
  return f;
}

export function rosenbrockGradient(x: Float64Array, g: Float64Array): void {
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const d = x[i + 1] - x[i] * x[i];
    g[i] += -400 * x[i] * d - 2 * (1 - x[i]);
    g[i + 1] += 200 * d;
  }
}

export interface PkProblem {
  dose: number;
  cl: number;
  v: number;
  ka: number;
  sa: number;
  sp: number;
  times: number[];
  dv: number[];
  omega: number[][];
}

/**
 * MAP objective of a one-compartment oral model: Σ (DV − C)²/var + log var, var = sa² + (sp·C)²,
 * plus ηᵀΩ⁻¹η, with CL, V, ka log-normal in η (as the R script states it).
 */
export function pkMapObjective(p: PkProblem): (eta: Float64Array) => number {
  const omegaInv = invert3(p.omega);
  return (eta) => {
    const cl = p.cl * Math.exp(eta[0]);
    const v = p.v * Math.exp(eta[1]);
    const ka = p.ka * Math.exp(eta[2]);
    const k = cl / v;
    let f = 0;
    for (let j = 0; j < p.times.length; j++) {
      const t = p.times[j];
      const c = ((p.dose * ka) / (v * (ka - k))) * (Math.exp(-k * t) - Math.exp(-ka * t));
      const variance = p.sa * p.sa + (p.sp * c) ** 2;
      f += (p.dv[j] - c) ** 2 / variance + Math.log(variance);
    }
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) f += eta[a] * omegaInv[a][b] * eta[b];
    return f;
  };
}

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det]
  ];
}

/** R writes ±Inf as the strings "Inf" and "-Inf". */
export function fromR(values: Array<number | string>): Float64Array {
  return Float64Array.from(values, (v) => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v)));
}
