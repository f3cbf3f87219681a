/**
 * The model language: how long a 50-line model takes to parse, check and compile (the
 * cache bypassed by a changing comment), and BM1's equations written as a text model
 * (closed-form 2-compartment PK + indirect response) against the library's BM1 model,
 * twins per second in one thread on the same parameters, doses and times.
 *
 * Run: npm run bench -- models [twins]
 */
import { readFileSync } from 'node:fs';
import { compileModelText } from '../../src/lib/engine/model-language';
import { createTwinSimulator, simulateChunk, type ModelDefinition } from '../../src/lib/engine/models';
import { bm1Doses, bm1Model, bm1Parameters, bm1Times } from './bm1Setup';

const TWINS = Number(process.argv[2] ?? 2000);
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

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

// BM1 as text: models/pk2cmt_oral_idr1.model restates the library's BM1 model, names included.
const text = compileModelText(
  readFileSync(new URL('../../models/pk2cmt_oral_idr1.model', import.meta.url), 'utf8')
).model;
const library = bm1Model();
const libraryParams = bm1Parameters(1, TWINS);
const textParams = new Float64Array(TWINS * text.parameters.length);
const from = text.parameters.map((p) => library.parameters.findIndex((q) => q.name === p.name));
for (let r = 0; r < TWINS; r++)
  from.forEach(
    (j, i) => (textParams[r * from.length + i] = libraryParams[r * library.parameters.length + j])
  );

function twinsPerSecond(model: ModelDefinition, params: Float64Array): number {
  const times = bm1Times();
  const doses = bm1Doses();
  const sim = createTwinSimulator(model);
  const out = new Float64Array(TWINS * model.outputs.length * times.length);
  simulateChunk(model, params.subarray(0, 50 * model.parameters.length), times, doses, {}, sim); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    simulateChunk(model, params, times, doses, {}, sim, out);
    rates.push(TWINS / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

const libraryRate = twinsPerSecond(library, libraryParams);
const textRate = twinsPerSecond(text, textParams);
console.log(
  `BM1 library model:  ${libraryRate.toFixed(0).padStart(8)} twins/s (median of ${RUNS}, ${TWINS} twins)`
);
console.log(
  `BM1 as a text model: ${textRate.toFixed(0).padStart(7)} twins/s (${(textRate / libraryRate).toFixed(2)}× the library)`
);
