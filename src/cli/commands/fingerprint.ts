import type { Command } from 'commander';
import { powerFingerprint, runFingerprint } from '../../lib/analysis/rows-hash';
import { scalar } from '../../lib/db/connector';
import { NodeConnector } from '../../lib/db/node-connector';
import { action, nonNegativeInt, UsageError } from '../errors';

interface FingerprintOptions {
  db: string;
  run?: number;
  power?: number;
}

export function registerFingerprint(program: Command): void {
  program
    .command('fingerprint')
    .description(
      'print each table of a run or power study with its row count and a hash of its rows: equal lines mean the same rows to the bit (a merge of shards against a single-machine run)'
    )
    .requiredOption('--db <file>', 'DuckDB file')
    .option('--run <id>', 'the run (default: the last complete run)', nonNegativeInt('--run'))
    .option('--power <id>', 'a power study instead of a run', nonNegativeInt('--power'))
    .action(action(fingerprint));
}

async function fingerprint(options: FingerprintOptions): Promise<void> {
  const db = await NodeConnector.open(options.db, { readOnly: true });
  try {
    const table = options.power !== undefined ? 'power' : 'run';
    const exists = await scalar<number>(
      db,
      `SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_name = '${table}' AND table_schema = 'main'`
    );
    if (!exists) throw new UsageError(`${options.db} holds no ${table === 'run' ? 'run' : 'power study'}`);
    let lines;
    if (options.power !== undefined) {
      if (!(await scalar(db, `SELECT count(*)::INTEGER FROM power WHERE power_id = ${options.power}`)))
        throw new UsageError(`--power ${options.power}: no such power study in ${options.db}`);
      lines = await powerFingerprint(db, options.power);
    } else {
      const runId =
        options.run ??
        (await scalar<number | null>(db, `SELECT max(run_id) FROM run WHERE status = 'complete'`));
      if (runId === null || !(await scalar(db, `SELECT count(*)::INTEGER FROM run WHERE run_id = ${runId}`)))
        throw new UsageError(
          `${options.run === undefined ? 'no complete run' : `--run ${options.run}: no such run`} in ${options.db}`
        );
      lines = await runFingerprint(db, runId);
    }
    for (const l of lines)
      process.stdout.write(`${l.table.padEnd(18)} ${String(l.rows).padStart(10)} ${l.hash}\n`);
  } finally {
    await db.close();
  }
}
