/**
 * Operating characteristics (issue 13's bar: under 60 s): replicate trials of 400 twins of
 * the shipped estimands protocol (protocols/type2-diabetes-estimands.yaml: discontinuation,
 * rescue, loss to follow-up, four estimands with their true values), each analysed by MMRM,
 * MI under MAR and J2R (20 imputations), LOCF and completers, on 2 worker threads, the true
 * values from the first `truthTwins` twins of each replicate (power's default, or all).
 * Prints the seconds in total and per replicate, and the time of the same replicates with the
 * primary analysis only (simulation, no truth), so the analyses' and the truth's share is seen.
 *
 * Run: npm run bench -- oc [workers] [replicates] [truthTwins|all]   (defaults 2, 1,000, 100)
 */
import { readProtocolFile } from '../../src/cli/protocol-file';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { DEFAULT_TRUTH_TWINS, runPower, type PowerResult } from '../../src/lib/runner/power';

const workers = Number(process.argv[2] ?? 2);
const replicates = Number(process.argv[3] ?? 1000);
const truthTwins = process.argv[4] === 'all' ? Infinity : Number(process.argv[4] ?? DEFAULT_TRUTH_TWINS);
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
      analyses: analyses ? undefined : [],
      truthTwins
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
    `true values from ${truthTwins === Infinity ? 'every twin' : `${truthTwins} twins`} of each replicate, ` +
    `on ${workers} worker(s): ${all.toFixed(1)} s (${per(all)}); ` +
    `simulation and the primary analysis alone (no truth): ${simulation.toFixed(1)} s (${per(simulation)})`
);
