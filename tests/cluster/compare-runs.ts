// Compares the last run of two DuckDB files table by table, by row count and the
// order-free hash of the rows (analysis/rows-hash.ts, what `twinbench merge` checks shards
// with), and prints one line per table. Exit 0 when every table is the same, 1 otherwise.
//
//   node --import tsx tests/cluster/compare-runs.ts single.duckdb merged.duckdb
import { runFingerprint } from '../../src/lib/analysis/rows-hash';
import { scalar } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';

async function lastRunFingerprint(path: string) {
  const db = await NodeConnector.open(path, { readOnly: true });
  try {
    const runId = Number(await scalar(db, 'SELECT max(run_id) FROM run'));
    return await runFingerprint(db, runId); // awaited before the finally closes the file
  } finally {
    await db.close();
  }
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: compare-runs.ts <a.duckdb> <b.duckdb>\n');
  process.exit(2);
}
const [left, right] = [await lastRunFingerprint(a), await lastRunFingerprint(b)];
let same = left.length === right.length;
for (const [i, l] of left.entries()) {
  const r = right[i];
  const equal = r !== undefined && r.table === l.table && r.rows === l.rows && r.hash === l.hash;
  same &&= equal;
  const other = equal ? 'same' : `DIFFER: ${r ? `${r.rows} rows, hash ${r.hash}` : 'missing'}`;
  process.stdout.write(
    `  ${l.table.padEnd(17)} ${String(l.rows).padStart(8)} rows, hash ${l.hash}  ${other}\n`
  );
}
process.exitCode = same ? 0 : 1;
