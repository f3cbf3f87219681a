/**
 * MMRM speed: 1,000 subjects × 6 visits (two arms, baseline, MAR dropout), unstructured
 * covariance by REML with Satterthwaite df. Prints the median wall time of 10 runs after 3
 * warm-up runs, and the process CPU time per fit (steadier than wall time when other processes
 * share the cores); the target is under 50 ms.
 *
 * Run: npm run bench -- mmrm [SUBJECTS] [VISITS]
 */
import { mmrm } from '../../src/lib/stats';
import { mmrmTrial } from './mmrmSetup';

const SUBJECTS = Number(process.argv[2] ?? 1000);
const VISITS = Number(process.argv[3] ?? 6);
const RUNS = 10;
const WARM_UPS = 3;

const data = mmrmTrial(SUBJECTS, VISITS);
const fit = () => mmrm(data, { control: 'placebo' });
const first = fit(); // warm-ups (JIT), not timed
for (let w = 1; w < WARM_UPS; w++) fit();
const ms: number[] = [];
const cpu0 = process.cpuUsage();
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  fit();
  ms.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000 / RUNS;
ms.sort((a, b) => a - b);
const e = first.primary[0];
console.log(
  `mmrm: ${SUBJECTS} subjects × ${VISITS} visits (${first.nObservations} observations), ${first.covariance}, ` +
    `${first.iterations} iterations, effect at ${first.at} ${e.estimate.toFixed(3)} (SE ${e.stdErr.toFixed(3)}, df ${e.df.toFixed(1)})`
);
console.log(
  `median ${ms[RUNS >> 1].toFixed(1)} ms  (min ${ms[0].toFixed(1)}, max ${ms[RUNS - 1].toFixed(1)}, ${RUNS} runs after ${WARM_UPS} warm-ups); CPU ${cpuMs.toFixed(1)} ms per fit`
);
