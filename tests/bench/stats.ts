/**
 * Statistics throughput on 1,000,000 rows: Welch's t test (1,000,000 per arm) and ANCOVA
 * (outcome ~ treatment + baseline, 1,000,000 rows). Prints the median wall time of 5 runs
 * after one warm-up run. Data are deterministic low-discrepancy sequences (no Math.random).
 *
 * Run: npm run bench -- stats [N]
 */
import { ancova, welchTTest } from '../../src/lib/stats';

const N = Number(process.argv[2] ?? 1_000_000);
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(label: string, f: () => unknown): void {
  f(); // warm-up (JIT), not timed
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  const min = Math.min(...ms);
  const max = Math.max(...ms);
  console.log(
    `${label.padEnd(40)} median ${median(ms).toFixed(1).padStart(7)} ms  (min ${min.toFixed(1)}, max ${max.toFixed(1)}, ${RUNS} runs)`
  );
}

const a = new Float64Array(N);
const b = new Float64Array(N);
for (let i = 0; i < N; i++) {
  a[i] = 1e6 + ((i * 0.6180339887) % 1);
  b[i] = 1e6 + ((i * 0.41421356237) % 1) - 0.01;
}
const y = new Float64Array(N);
const t = new Float64Array(N);
const base = new Float64Array(N);
for (let i = 0; i < N; i++) {
  t[i] = i % 2;
  base[i] = 100 + ((i * 0.6180339887) % 1) * 20;
  y[i] = 3 + 2 * t[i] + 0.5 * base[i] + (((i * 0.41421356237) % 1) - 0.5);
}

const n = N.toLocaleString('en-US');
console.log(`stats benchmark: N = ${n}, median of ${RUNS} runs after a warm-up`);
time(`welchTTest (${n} per arm)`, () => welchTTest(a, b));
time(`ancova (${n} rows, 2 predictors)`, () => ancova({ outcome: y, treatment: t, baseline: base }));
