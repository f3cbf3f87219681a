/**
 * Cohort generation throughput: the bench-1m cohort (8 covariates: 4 correlated,
 * 2 conditional, 2 derived; 2 criteria), 1,000,000 twins, with 1 and 2 worker threads:
 * generation alone, and generation plus insertion into DuckDB (native, in memory).
 *
 * Run: npm run bench -- cohort [N]
 */
import { readFileSync } from 'node:fs';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { compileCohort, generateCohortChunk } from '../../src/lib/engine/cohort';
import { generateCohort } from '../../src/lib/runner/generate-cohort';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { loadCohortSpec } from '../../src/lib/load/load-cohort';

const N = Number(process.argv[2] ?? 1_000_000);
const CHUNK = 50_000;
const spec = loadCohortSpec(readFileSync(new URL('../../cohorts/bench-1m.yaml', import.meta.url), 'utf8'));
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')} twins/s`;

function inProcess(): number {
  const plan = compileCohort(spec);
  const t0 = performance.now();
  for (let first = 1; first <= N; first += CHUNK)
    generateCohortChunk(plan, spec.seed, first, Math.min(CHUNK, N - first + 1));
  return seconds(t0);
}

async function generationOnly(workers: number): Promise<number> {
  const pool = nodeWorkerPool(workers);
  const tasks: [number, number][] = [];
  for (let first = 1; first <= N; first += CHUNK) tasks.push([first, Math.min(CHUNK, N - first + 1)]);
  // Warm every worker (thread start, module load, JIT) outside the timed region.
  await pool.map(tasks.slice(0, workers), async (api, [f, c]) => api.generateCohortChunk(spec.seed, f, c), {
    init: (api) => api.prepareCohort(spec)
  });
  const t0 = performance.now();
  await pool.map(tasks, async (api, [f, c]) => api.generateCohortChunk(spec.seed, f, c), {
    init: (api) => api.prepareCohort(spec)
  });
  const s = seconds(t0);
  pool.terminate();
  return s;
}

async function generationAndStore(workers: number): Promise<number> {
  const db = await NodeConnector.open();
  const pool = nodeWorkerPool(workers);
  // Warm-up, not timed: one chunk per worker, so every thread is started.
  await generateCohort({ db, pool, spec, n: CHUNK * workers, chunkSize: CHUNK });
  const t0 = performance.now();
  await generateCohort({ db, pool, spec, n: N, chunkSize: CHUNK });
  const s = seconds(t0);
  pool.terminate();
  await db.close();
  return s;
}

console.log(
  `cohort benchmark: ${spec.name}, N = ${N.toLocaleString('en-US')}, chunks of ${CHUNK.toLocaleString('en-US')}`
);
inProcess(); // JIT warm-up
const single = inProcess();
console.log(`in-process (main thread)       ${single.toFixed(2)} s  ${rate(N, single)}`);
for (const workers of [1, 2]) {
  const gen = await generationOnly(workers);
  console.log(`generation, ${workers} worker(s)          ${gen.toFixed(2)} s  ${rate(N, gen)}`);
}
for (const workers of [1, 2]) {
  const all = await generationAndStore(workers);
  console.log(`generation + DuckDB, ${workers} worker(s)  ${all.toFixed(2)} s  ${rate(N, all)}`);
}
