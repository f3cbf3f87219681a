import type { Command } from 'commander';
import { mergeShards } from '../../lib/node/shard/merge-shards';
import { openDatabase } from '../database';
import { action } from '../errors';
import { listenForInterrupts } from '../interrupt';

interface MergeOptions {
  db: string;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      "merge the shards of 'run --shard' or 'power --shard' in a folder into one run or power study in a DuckDB file"
    )
    .argument('<dir>', 'the --out folder the shards wrote into')
    .option('--db <file>', 'DuckDB file to write (created if missing)', 'twinbench.duckdb')
    .action(action(merge));
}

async function merge(dir: string, options: MergeOptions): Promise<void> {
  const db = await openDatabase(options.db);
  const interrupts = listenForInterrupts();
  interrupts.onInterrupt(() => db.interrupt());
  try {
    const m = await mergeShards(db, dir);
    const what =
      m.kind === 'run' ? `run ${m.id} (${m.total} twins)` : `power study ${m.id} (${m.total} replicates)`;
    process.stdout.write(
      `merged ${m.shards} shards into ${what} in ${options.db} in ${m.seconds.toFixed(2)} s\n`
    );
  } finally {
    interrupts.dispose();
    await db.close();
  }
}
