/**
 * Writes cohorts/bm1/twins.csv: the BM1 benchmark's 10,000 twins as individual
 * parameters, from the benchmark's fixed formulas (no randomness, so every system gets
 * identical inputs). Twin i (i = 1..N):
 *   u = frac(i·0.6180339887498949), w = frac(i·0.4142135623730951), WT = 50 + 50u,
 *   CL = 5·(WT/70)^0.75·exp(0.3(w − 0.5)), V1 = 50·WT/70, KA = exp(0.4(u − 0.5)),
 *   R0 = 80 + 40w.
 * Values are written with 17 significant digits, which round-trip doubles exactly.
 *
 * Run: npx tsx cohorts/bm1/make-twins.ts [N]
 */
import { writeFileSync } from 'node:fs';

const N = Number(process.argv[2] ?? 10_000);
const lines = ['twin_id,WT,CL,V1,KA,R0'];
for (let i = 1; i <= N; i++) {
  const u = (i * 0.6180339887498949) % 1;
  const w = (i * 0.4142135623730951) % 1;
  const wt = 50 + 50 * u;
  const values = [
    wt,
    5 * Math.pow(wt / 70, 0.75) * Math.exp(0.3 * (w - 0.5)),
    50 * (wt / 70),
    Math.exp(0.4 * (u - 0.5)),
    80 + 40 * w
  ];
  lines.push([i, ...values.map((v) => v.toPrecision(17))].join(','));
}
writeFileSync(new URL('./twins.csv', import.meta.url), lines.join('\n') + '\n');
process.stdout.write(`wrote ${N} twins to cohorts/bm1/twins.csv\n`);
