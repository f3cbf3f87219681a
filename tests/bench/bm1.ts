/**
 * BM1: 2-compartment oral PK + indirect response type I, 100 mg q24h × 28 from t = 0,
 * outputs C and R hourly 0..672 h, rtol 1e-6 atol 1e-9, N = 10,000 twins, one thread.
 * Prints twins/s for the full 4-state ODE and the hybrid (closed-form PK) path (median of
 * `repeats` timed runs, each into a freshly allocated result as simulateChunk returns it; the
 * hybrid path also into a reused result buffer, which leaves out the page faults of first
 * writes), and the maximum relative difference from deSolve reference values
 * (tests/golden/models/bm1_reference.csv).
 *
 * Run: npx tsx tests/bench/bm1.ts [N] [repeats]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bm1Doses, bm1Model, bm1Parameters, bm1Times } from './bm1Setup';
import { simulateChunk, createTwinSimulator } from '../../src/lib/engine/models';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.argv[2] ?? 10_000);
const repeats = Number(process.argv[3] ?? 3);
const times = bm1Times();
const doses = bm1Doses();
const model = bm1Model();
const tolerance = { rtol: 1e-6, atol: 1e-9 };

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/** Median twins/s of `repeats` runs of n twins (after a warm-up run of `warmUp` twins). */
function rate(mode: 'hybrid' | 'ode', n: number, warmUp: number, reuseOutput: boolean): number {
  const params = bm1Parameters(1, n);
  const options = { mode, ...tolerance };
  const simulator = createTwinSimulator(model, options);
  const out = reuseOutput ? new Float64Array(n * model.outputs.length * times.length) : undefined;
  simulateChunk(model, bm1Parameters(1, warmUp), times, doses, options, simulator);
  if (out) simulateChunk(model, params, times, doses, options, simulator, out);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    simulateChunk(model, params, times, doses, options, simulator, out);
    rates.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return median(rates);
}

function compareWithReference(mode: 'hybrid' | 'ode'): { c: number; r: number } {
  const csv = readFileSync(join(here, '../golden/models/bm1_reference.csv'), 'utf8').trim().split('\n');
  const header = csv[0].split(',');
  const iTwin = header.indexOf('twin');
  const iTime = header.indexOf('time');
  const iC = header.indexOf('C');
  const iR = header.indexOf('R');
  const rows = csv.slice(1).map((l) => l.split(',').map(Number));
  const ids = [...new Set(rows.map((r) => r[iTwin]))];
  let maxC = 0;
  let maxR = 0;
  for (const id of ids) {
    const out = simulateChunk(model, bm1Parameters(id, 1), times, doses, {
      mode,
      ...tolerance,
      firstTwinId: id
    });
    for (const r of rows.filter((x) => x[iTwin] === id)) {
      const k = Math.round(r[iTime]);
      if (r[iC] > 0) maxC = Math.max(maxC, Math.abs(out[k] - r[iC]) / r[iC]);
      maxR = Math.max(maxR, Math.abs(out[times.length + k] - r[iR]) / r[iR]);
    }
  }
  return { c: maxC, r: maxR };
}

const runs = `median of ${repeats}, one thread`;
console.log(
  `hybrid (closed-form PK + ODE for R): ${N} twins: ${rate('hybrid', N, 200, false).toFixed(0)} twins/s (${runs})`
);
console.log(
  `hybrid, result buffer reused:        ${N} twins: ${rate('hybrid', N, 200, true).toFixed(0)} twins/s (${runs})`
);
const nOde = Math.min(N, 2000);
console.log(
  `full ODE (4 states):                 ${nOde} twins: ${rate('ode', nOde, 100, false).toFixed(0)} twins/s (${runs})`
);
for (const mode of ['hybrid', 'ode'] as const) {
  try {
    const d = compareWithReference(mode);
    console.log(
      `${mode}: max relative difference vs deSolve (rtol 1e-12): C ${d.c.toExponential(2)}, R ${d.r.toExponential(2)}`
    );
  } catch (e) {
    console.log(`reference comparison unavailable: ${(e as Error).message}`);
  }
}
