/**
 * Operating characteristics (issue 13's bar: under 60 s): replicate trials of 400 twins of
 * the shipped estimands protocol (protocols/type2-diabetes-estimands.yaml: discontinuation,
 * rescue, loss to follow-up, four estimands with their true values), each analysed by MMRM,
 * MI under MAR and J2R (20 imputations), LOCF and completers, on 2 worker threads. Prints the
 * seconds in total and per replicate, and the time of the same replicates with the primary
 * analysis only (simulation and truth), so the analyses' share is seen.
 *
 * Run: npm run bench -- oc [workers] [replicates]   (defaults 2 and 1,000)
 */
import { readProtocolFile } from '../../src/cli/protocol-file';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runPower, type PowerResult } from '../../src/lib/runner/power';

const workers = Number(process.argv[2] ?? 2);
const replicates = Number(process.argv[3] ?? 1000);
const protocol = await readProtocolFile(
  new URL('../../protocols/type2-diabetes-estimands.yaml', import.meta.url).pathname
);

async function timed(analyses: boolean): Promise<[number, PowerResult]> {
  const pool = nodeWorkerPool(workers);
  try {
    const t0 = performance.now();
    const r = await runPower({
      pool,
      protocol,
      sizes: [400],
      replicates,
      analyses: analyses ? undefined : []
    });
    return [(performance.now() - t0) / 1000, r];
  } finally {
    pool.terminate();
  }
}

const [all, result] = await timed(true);
const [simulation] = await timed(false);
const per = (s: number) => `${((1000 * s) / replicates).toFixed(0)} ms per replicate`;
console.log(
  `${replicates.toLocaleString('en-US')} replicates of 400 twins, ${result.analyses!.methods.join(', ')}, ` +
    `on ${workers} worker(s): ${all.toFixed(1)} s (${per(all)}); ` +
    `simulation, truth and the primary analysis alone: ${simulation.toFixed(1)} s (${per(simulation)})`
);
