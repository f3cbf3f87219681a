/**
 * BM1: 2-compartment oral PK + indirect response type I, 100 mg q24h × 28 from t = 0,
 * outputs C and R hourly 0..672 h, rtol 1e-6 atol 1e-9, N = 10,000 twins, one thread.
 * Prints twins/s for the full 4-state ODE and the hybrid (closed-form PK) path (median of
 * `repeats` timed runs, each into a freshly allocated result as simulateChunk returns it; the
 * hybrid path also into a reused result buffer, which leaves out the page faults of first
 * writes), and the maximum relative difference from deSolve reference values
 * (tests/golden/models/bm1_reference.csv).
 *
 * Then the same workload through the user's path (protocols/bm1.yaml, its imported
 * individual parameters, the worker pool) on 1 and 2 worker threads, outputs kept in
 * typed arrays.
 *
 * Run: npm run bench -- bm1 [N] [repeats]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bm1Doses, bm1Model, bm1Parameters, bm1Times } from './bm1Setup';
import { simulateChunk, createTwinSimulator } from '../../src/lib/engine/models';
import { readProtocolFile } from '../../src/cli/protocol-file';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';

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

/** Twins/s of the BM1 protocol on `workers` threads (median of `repeats`, after a warm-up). */
async function poolRate(mode: 'hybrid' | 'ode', workers: number, n: number): Promise<number> {
  const base = await readProtocolFile(join(here, '../../protocols/bm1.yaml'));
  const protocol = { ...base, model: { ...base.model, solver: { ...base.model.solver, mode } } };
  const pool = nodeWorkerPool(workers);
  const chunk = 250;
  const tasks = Array.from({ length: Math.ceil(n / chunk) }, (_, i) => [
    1 + i * chunk,
    Math.min(chunk, n - i * chunk)
  ]);
  const run = (list: number[][]) =>
    pool.map(list, (api, [first, count]) => Promise.resolve(api.predictChunk(first, count, 0)), {
      init: (api) => api.prepareTrial(protocol)
    });
  await run(tasks.slice(0, workers)); // start the threads, compile, warm the JIT
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    await run(tasks);
    rates.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  pool.terminate();
  return median(rates);
}

for (const mode of ['hybrid', 'ode'] as const) {
  const n = mode === 'hybrid' ? N : nOde;
  const one = await poolRate(mode, 1, n);
  const two = await poolRate(mode, 2, n);
  console.log(
    `protocol path, ${mode}: ${n} twins: 1 worker ${one.toFixed(0)} twins/s, 2 workers ${two.toFixed(0)} twins/s ` +
      `(×${(two / one).toFixed(2)})`
  );
}
