/**
 * Scale-out by shards, end to end through the CLI, each step a whole process timed from
 * outside: the antihypertensive dose-ranging protocol (stratified blocks, four arms) with
 * N twins (default 1,000,000), visit-only output,
 *  (1) as one run on this machine (`twinbench run --workers 2` into a DuckDB file);
 *  (2) as S shards (default 4) run P at a time (default 2, each with one worker thread, so
 *      the machine's two cores are busy as in (1)), each writing Parquet and a manifest;
 *  (3) `twinbench merge` of the shards into a DuckDB file;
 * then checks that (3) and (1) hold the same rows (`twinbench fingerprint`), and prints
 * the expected wall time on k machines: one shard's time × ⌈S/k⌉ + the merge.
 *
 * Run: npm run bench -- shards [N] [S] [P]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 1_000_000);
const S = Number(process.argv[3] ?? 4);
const P = Number(process.argv[4] ?? 2);
const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'src/cli/twinbench.js');
const protocol = join(root, 'protocols/antihypertensive-dose-ranging.yaml');
const dir = mkdtempSync(join(tmpdir(), 'twinbench-shards-'));

/** Runs `twinbench …`: its wall time in seconds and its output; fails on a non-zero exit. */
function twinbench(args: string[]): Promise<{ seconds: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - t0) / 1000, stdout })
        : reject(new Error(`twinbench ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`))
    );
  });
}

function fingerprint(db: string): string {
  return spawnSync(process.execPath, [cli, 'fingerprint', '--db', db], { encoding: 'utf8' }).stdout;
}

const fmt = (s: number) => `${s.toFixed(1)} s`;
try {
  process.stdout.write(`shards: ${N.toLocaleString('en-US')} twins, ${S} shards, ${P} at a time\n`);
  const single = join(dir, 'single.duckdb');
  const startup = (await twinbench(['--version'])).seconds;
  process.stdout.write(`  the CLI's start (twinbench --version): ${fmt(startup)}\n`);
  const { seconds: singleSeconds } = await twinbench([
    'run',
    protocol,
    '--n',
    String(N),
    '--workers',
    '2',
    '--db',
    single
  ]);
  process.stdout.write(`  one run, 2 workers:            ${fmt(singleSeconds)}\n`);

  const out = join(dir, 'out');
  const shardSeconds: number[] = [];
  const t0 = performance.now();
  const queue = Array.from({ length: S }, (_, i) => i + 1);
  const lane = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const args = [
        'run',
        protocol,
        '--n',
        String(N),
        '--workers',
        '1',
        '--shard',
        `${i}/${S}`,
        '--out',
        out
      ];
      shardSeconds[i - 1] = (await twinbench(args)).seconds;
    }
  };
  await Promise.all(Array.from({ length: P }, lane));
  const shardsWall = (performance.now() - t0) / 1000;
  const mean = shardSeconds.reduce((a, b) => a + b, 0) / S;
  process.stdout.write(
    `  ${S} shards, ${P} at a time:          ${fmt(shardsWall)} (each ${shardSeconds.map(fmt).join(', ')})\n`
  );

  const merged = join(dir, 'merged.duckdb');
  const merge = await twinbench(['merge', out, '--db', merged]);
  const mergeSeconds = merge.seconds;
  const ownSeconds = Number(/in ([\d.]+) s$/m.exec(merge.stdout)?.[1]);
  process.stdout.write(
    `  merge of ${S} shards:              ${ownSeconds.toFixed(2)} s (checks and inserts; ${fmt(mergeSeconds)} as a whole process)\n`
  );
  process.stdout.write(`  shards + merge:                ${fmt(shardsWall + mergeSeconds)}\n`);
  const same = fingerprint(single) === fingerprint(merged);
  process.stdout.write(`  merged rows equal the one run's: ${same ? 'yes' : 'NO'}\n`);
  process.stdout.write(`  expected wall time on k machines (one shard ${fmt(mean)} × ⌈${S}/k⌉ + merge):\n`);
  for (const k of [1, 2, 4, 8].filter((k) => k <= S))
    process.stdout.write(`    k = ${k}: ${fmt(mean * Math.ceil(S / k) + mergeSeconds)}\n`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
