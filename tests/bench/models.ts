/**
 * The model language's speed:
 * - how long a 50-line model takes to parse, check and compile (the cache bypassed by a
 *   changing comment);
 * - BM1 written as a text model (models/pk2cmt_oral_idr1.model: closed-form 2-compartment
 *   PK + indirect response) against the library's BM1 model, in this thread and through
 *   the protocol path on worker threads;
 * - BM1 written as a full 4-state ODE (tests/bench/bm1_full_ode.model) against the
 *   library model's full-ODE path. To compare it with a C Dormand–Prince implementation
 *   of BM1, run that in the same session: absolute speeds drift with the machine's load.
 *
 * The machine may be shared, so the two sides of each comparison run interleaved (the
 * order swapped every round) and the figures are medians over rounds; the ratio is the
 * median of the rounds' ratios. Wall time, one thread each.
 *
 * Run: npm run bench -- models [twins] [workers]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModelText } from '../../src/lib/engine/model-language';
import {
  createTwinSimulator,
  simulateChunk,
  type ModelDefinition,
  type SimulationOptions,
  type TwinSimulator
} from '../../src/lib/engine/models';
import type { ResolvedProtocol } from '../../src/lib/engine/trial';
import { readProtocolFile } from '../../src/cli/protocol-file';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { maxRelativeDifference } from '../helpers/relative-difference';
import { bm1Doses, bm1Model, bm1ParametersFor, bm1TextModel, bm1Times } from './bm1Setup';

const here = dirname(fileURLToPath(import.meta.url));
const TWINS = Number(process.argv[2] ?? 2000);
const WORKERS = Number(process.argv[3] ?? 1);
const ROUNDS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Rates {
  /** Median twins/s in wall time. */
  wall: number;
  /** Median twins/s per second of this process's CPU time (all its threads). */
  cpu: number;
}

/** Twins/s of one run of f, in wall time and per second of this process's CPU time. */
async function measure(f: () => Promise<void> | void, twins: number): Promise<Rates> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await f();
  const used = process.cpuUsage(cpu);
  return {
    wall: twins / (Number(process.hrtime.bigint() - start) / 1e9),
    cpu: twins / ((used.user + used.system) / 1e6)
  };
}

const medians = (xs: Rates[]): Rates => ({
  wall: median(xs.map((x) => x.wall)),
  cpu: median(xs.map((x) => x.cpu))
});

/**
 * Each side's median twins/s and the median of the rounds' ratios b/a, in wall time and
 * in CPU time: on a machine shared with other work, CPU time leaves out the time this
 * process waited for a core.
 */
async function interleaved(
  a: () => Promise<void> | void,
  b: () => Promise<void> | void,
  twins: number
): Promise<{ a: Rates; b: Rates; ratio: Rates }> {
  const runs = { a: [] as Rates[], b: [] as Rates[] };
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2) {
      runs.b.push(await measure(b, twins));
      runs.a.push(await measure(a, twins));
    } else {
      runs.a.push(await measure(a, twins));
      runs.b.push(await measure(b, twins));
    }
  }
  const ratios = runs.a.map((x, r) => ({ wall: runs.b[r].wall / x.wall, cpu: runs.b[r].cpu / x.cpu }));
  return { a: medians(runs.a), b: medians(runs.b), ratio: medians(ratios) };
}

/** One comparison's line: both sides' twins/s and the ratio, in wall and CPU time. */
function report(title: string, r: { a: Rates; b: Rates; ratio: Rates }, extra = ''): void {
  const side = (x: Rates) =>
    `${x.wall.toFixed(0).padStart(6)} twins/s (CPU time ${x.cpu.toFixed(0).padStart(6)})`;
  console.log(
    `${title}, median of ${ROUNDS} interleaved rounds:\n` +
      `  library model ${side(r.a)}   text model ${side(r.b)}\n` +
      `  text/library ${r.ratio.wall.toFixed(2)}× (CPU time ${r.ratio.cpu.toFixed(2)}×)${extra}`
  );
}

/** A chunk of BM1 twins simulated in this thread, its output kept for comparison. */
function inThread(model: ModelDefinition, twins: number, options: SimulationOptions) {
  const times = bm1Times();
  const doses = bm1Doses();
  const params = bm1ParametersFor(model, 1, twins);
  const simulator: TwinSimulator = createTwinSimulator(model, options);
  const out = new Float64Array(twins * model.outputs.length * times.length);
  const run = () => void simulateChunk(model, params, times, doses, options, simulator, out);
  simulateChunk(model, params.subarray(0, 50 * model.parameters.length), times, doses, options, simulator);
  return { run, out };
}

// 1. Compile time.
/** A 50-line model: 12 parameters, 7 individual quantities, a 6-state chain, 4 outputs. */
function fiftyLineModel(tag: number): string {
  const lines = [
    `# variant ${tag}`,
    'model chain50',
    'title "benchmark model"',
    'solver stiff',
    'parameters'
  ];
  for (let i = 1; i <= 12; i++) lines.push(`  P${i} = ${i / 10} [1/h] "rate ${i}"`);
  lines.push('individual', '  KSUM = P1 + P2 + P3', '  KMEAN = KSUM / 3');
  for (let i = 1; i <= 5; i++) lines.push(`  K${i} = max(P${i}, KMEAN) * exp(-P${i + 5} / P${i})`);
  lines.push('states');
  for (let i = 1; i <= 6; i++) lines.push(`  S${i}(0) = ${i === 1 ? 'P12 * 10' : '0'} [mg]`);
  lines.push('odes');
  for (let i = 1; i <= 6; i++) lines.push(`  flow${i} = P${i} * S${i} / (1 + S${i} / (P${i + 6} * 100))`);
  for (let i = 1; i <= 6; i++)
    lines.push(`  d/dt(S${i}) = ${i > 1 ? `flow${i - 1} - ` : ''}flow${i} - K${1 + (i % 5)} * 0.01 * S${i}`);
  lines.push('outputs');
  for (let i = 1; i <= 4; i++) lines.push(`  Y${i} = S${i} + S${i + 2} * if(t > 24, 1, 0.5) [mg]`);
  return lines.join('\n') + '\n';
}

const compileMs: number[] = [];
compileModelText(fiftyLineModel(-1)); // warm-up (JIT), not timed
for (let r = 0; r < 20; r++) {
  const text = fiftyLineModel(r);
  const t0 = performance.now();
  compileModelText(text);
  compileMs.push(performance.now() - t0);
}
const lineCount = fiftyLineModel(0).trimEnd().split('\n').length;
console.log(
  `compile a ${lineCount}-line model: median ${median(compileMs).toFixed(2)} ms (min ${Math.min(...compileMs).toFixed(2)}, max ${Math.max(...compileMs).toFixed(2)}, 20 runs)`
);

// 2. BM1 with closed-form PK, in this thread: library model against the text model.
const library = bm1Model();
const closedForm = bm1TextModel('closed-form PK');
{
  const a = inThread(library, TWINS, {});
  const b = inThread(closedForm, TWINS, {});
  const r = await interleaved(a.run, b.run, TWINS);
  const difference = maxRelativeDifference(b.out, a.out, 1e-9);
  report(
    `BM1, closed-form PK + ODE, ${TWINS} twins in this thread`,
    r,
    `, max relative difference ${difference.toExponential(1)}`
  );
}

// 3. BM1 as a full 4-state ODE text model, in this thread, alone: a second ODE model
// through the same solver would make its calls polymorphic and slow both. Tolerances of
// the text: rtol 1e-6, atol 1e-9.
{
  const twins = Math.max(1, TWINS >> 1);
  const { run } = inThread(bm1TextModel('full ODE'), twins, {});
  const runs: Rates[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await measure(run, twins));
  const m = medians(runs);
  console.log(
    `BM1, full 4-state ODE text model, ${twins} twins in this thread, median of ${ROUNDS} runs:\n` +
      `  ${m.wall.toFixed(0)} twins/s (CPU time ${m.cpu.toFixed(0)})`
  );
}

// 4. The user's path: protocols/bm1.yaml (imported twins with their own parameters) with
// the library model and with the text model, each on its own pool of WORKERS threads:
// closed-form PK, then the full ODE (the library model's 'ode' mode against the 4-ODE text).
const base = await readProtocolFile(join(here, '../../protocols/bm1.yaml'));
const withModel = (model: ResolvedProtocol['model']['model'], mode?: 'ode'): ResolvedProtocol => ({
  ...base,
  model: { ...base.model, model, solver: { ...base.model.solver, ...(mode ? { mode } : {}) } }
});
const modelText = (path: string) => ({ text: readFileSync(join(here, path), 'utf8'), file: path });

/** Twins [1, twins] predicted on a pool per protocol, interleaved. */
async function onWorkers(title: string, protocols: ResolvedProtocol[], twins: number): Promise<void> {
  const chunk = 250;
  const tasks = Array.from({ length: Math.ceil(twins / chunk) }, (_, i) => [
    1 + i * chunk,
    Math.min(chunk, twins - i * chunk)
  ]);
  const runs = await Promise.all(
    protocols.map(async (protocol) => {
      const pool = nodeWorkerPool(WORKERS);
      const map = (init: boolean) =>
        pool.map(tasks, (api, [first, count]) => Promise.resolve(api.predictChunk(first, count, 0)), {
          init: init ? (api) => api.prepareTrial(protocol) : undefined
        });
      await map(true); // start the threads, compile, warm the JIT
      return { pool, run: () => map(false) };
    })
  );
  try {
    const threads = `${WORKERS} worker thread${WORKERS === 1 ? '' : 's'}`;
    report(`${title}, ${twins} twins on ${threads} each`, await interleaved(runs[0].run, runs[1].run, twins));
  } finally {
    for (const { pool } of runs) pool.terminate();
  }
}

await onWorkers(
  'BM1 protocol, closed-form PK + ODE',
  [withModel('pk2cmt_oral+idr1'), withModel(modelText('../../models/pk2cmt_oral_idr1.model'))],
  TWINS
);
await onWorkers(
  'BM1 protocol, full 4-state ODE',
  [withModel('pk2cmt_oral+idr1', 'ode'), withModel(modelText('bm1_full_ode.model'))],
  Math.max(1, TWINS >> 1)
);
