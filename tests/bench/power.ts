/**
 * Power by replicate trials: 4 sample sizes (50, 100, 200, 400) × 1,000 replicate trials
 * of a 2-arm trial (placebo vs 10 mg) with the antihypertensive protocol's model, on 2
 * worker threads (change with an argument). Prints seconds and replicates/s.
 *
 * Run: npm run bench -- power [workers]
 */
import { readProtocolFile } from '../../src/cli/protocol-file';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runPower } from '../../src/lib/runner/power';

const workers = Number(process.argv[2] ?? 2);
const full = await readProtocolFile(
  new URL('../../protocols/antihypertensive-dose-ranging.yaml', import.meta.url).pathname
);
const protocol = {
  ...full,
  arms: full.arms.filter((a) => a.name === 'placebo' || a.name === '10 mg'),
  allocation: { ...full.allocation, ratio: [1, 1] }
};
const pool = nodeWorkerPool(workers);
const sizes = [50, 100, 200, 400];
const replicates = 1000;
const t0 = performance.now();
const result = await runPower({ pool, protocol, sizes, replicates });
const seconds = (performance.now() - t0) / 1000;
pool.terminate();
for (const s of result.sizes) {
  const a = s.arms[0];
  console.log(
    `n = ${s.n}: power ${(100 * a.power).toFixed(1)}% [${(100 * a.ciLow).toFixed(1)}, ${(100 * a.ciHigh).toFixed(1)}]`
  );
}
const total = sizes.length * replicates;
console.log(
  `${total.toLocaleString('en-US')} replicate trials on ${workers} worker(s): ${seconds.toFixed(2)} s, ` +
    `${Math.round(total / seconds).toLocaleString('en-US')} replicates/s`
);
