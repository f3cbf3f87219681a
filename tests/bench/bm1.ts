/**
 * BM1: 2-compartment oral PK + indirect response type I, 100 mg q24h × 28 from t = 0,
 * outputs C and R hourly 0..672 h, rtol 1e-6 atol 1e-9, N = 10,000 twins, one thread.
 * Prints twins/s for the full 4-state ODE and the hybrid (closed-form PK) path, and the
 * maximum relative difference from deSolve reference values (tests/golden/models/bm1_reference.csv).
 *
 * Run: npx tsx tests/bench/bm1.ts [N]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bm1Doses, bm1Model, bm1Parameters, bm1Times } from './bm1Setup';
import { simulateChunk, createTwinSimulator } from '../../src/lib/engine/models';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.argv[2] ?? 10_000);
const times = bm1Times();
const doses = bm1Doses();
const model = bm1Model();
const tolerance = { rtol: 1e-6, atol: 1e-9 };

function run(mode: 'hybrid' | 'ode', n: number): { seconds: number; out: Float64Array } {
  const params = bm1Parameters(1, n);
  const simulator = createTwinSimulator(model, { mode, ...tolerance });
  const start = process.hrtime.bigint();
  const out = simulateChunk(model, params, times, doses, { mode, ...tolerance }, simulator);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, out };
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

run('hybrid', 200); // warm-up
const hybrid = run('hybrid', N);
console.log(
  `hybrid (closed-form PK + ODE for R): ${N} twins in ${hybrid.seconds.toFixed(2)} s = ${(N / hybrid.seconds).toFixed(0)} twins/s`
);
run('ode', 100);
const nOde = Math.min(N, 2000);
const ode = run('ode', nOde);
console.log(
  `full ODE (4 states):                 ${nOde} twins in ${ode.seconds.toFixed(2)} s = ${(nOde / ode.seconds).toFixed(0)} twins/s`
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
