/**
 * Multiple-imputation speed: 1,000 subjects × 6 visits (two arms, baseline, MAR dropout; the MMRM
 * benchmark's trial), 20 imputations by sequential regression, each analysed by the ANCOVA at the
 * last visit and pooled by Rubin's rules. Prints the median wall time of 5 runs after one warm-up
 * run per method, and the process CPU time per analysis; the target is under 1 s.
 *
 * Run: npm run bench -- mi [SUBJECTS] [VISITS] [IMPUTATIONS]
 */
import { missingDataAnalysis, type MissingDataMethod } from '../../src/lib/stats/missingDataAnalysis';
import { mmrmTrial } from './mmrmSetup';

const SUBJECTS = Number(process.argv[2] ?? 1000);
const VISITS = Number(process.argv[3] ?? 6);
const IMPUTATIONS = Number(process.argv[4] ?? 20);
const RUNS = 5;

const data = mmrmTrial(SUBJECTS, VISITS);
for (const method of ['mi_mar', 'mi_j2r'] as MissingDataMethod[]) {
  const run = () =>
    missingDataAnalysis(data, { control: 'placebo', method, imputations: IMPUTATIONS, seed: 1 });
  const first = run(); // warm-up (JIT), not timed
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  ms.sort((a, b) => a - b);
  const e = first.effects[0];
  const missing = first.counts.reduce((s, c) => s + c.subjects - c.observed, 0);
  console.log(
    `${method}: ${SUBJECTS} subjects × ${VISITS} visits, ${missing} missing at visit ${first.at}, ${IMPUTATIONS} imputations; ` +
      `effect ${e.estimate.toFixed(3)} (SE ${e.stdErr.toFixed(3)}, df ${e.df.toFixed(1)}, fmi ${(e.fmi ?? 0).toFixed(2)})`
  );
  console.log(
    `median ${ms[RUNS >> 1].toFixed(1)} ms  (min ${ms[0].toFixed(1)}, max ${ms[RUNS - 1].toFixed(1)}, ${RUNS} runs after a warm-up); ` +
      `CPU ${((cpu.user + cpu.system) / 1000 / RUNS).toFixed(1)} ms per analysis`
  );
}
