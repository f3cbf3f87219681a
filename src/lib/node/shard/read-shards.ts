import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rowsHashBy } from '../../analysis/rows-hash';
import { sqlString, type Connector } from '../../db/connector';
import { shardManifestSchema, tableFile, type ShardManifest } from './shard-manifest';
import { ShardError, shardPart } from './shard-range';

/** A glob of a table's Parquet files in every shard (`shard` comes from the hive partition). */
export function tableGlob(dir: string, table: string): string {
  return `read_parquet(${sqlString(join(dir, table, 'shard=*', 'part.parquet'))}, hive_partitioning = true)`;
}

/**
 * Reads a shard folder's manifests and checks that they make one whole, before anything is
 * merged: the same kind of work, protocol hash, seed, app version and number of shards;
 * every shard present exactly once with the range it should cover; no table folder of a
 * shard without a manifest; and each table's files holding the rows their manifest counts
 * and hashes (read with DuckDB, so a truncated or changed file is found). Each problem is
 * a ShardError naming the shard and what to do.
 */
export async function readShards(db: Connector, dir: string): Promise<ShardManifest[]> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new ShardError(`${dir}: no such folder (give the --out folder of the shards)`);
  const manifestDir = join(dir, 'manifests');
  const files = existsSync(manifestDir)
    ? readdirSync(manifestDir).filter((f) => /^shard-\d+\.json$/.test(f))
    : [];
  if (!files.length)
    throw new ShardError(
      `${dir}: no shard manifest (manifests/shard-<i>.json): is it the --out folder of 'twinbench run --shard' ` +
        `or 'twinbench power --shard', and has any shard finished?`
    );
  const manifests = files.map((f) => readManifest(join(manifestDir, f), Number(/\d+/.exec(f)![0])));
  manifests.sort((a, b) => a.shard.index - b.shard.index);
  checkOneWhole(manifests);
  await checkTables(db, dir, manifests);
  return manifests;
}

function readManifest(path: string, index: number): ShardManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ShardError(
      `${path}: not a shard manifest: ${(e as Error).message.split('\n')[0]}; re-run shard ${index}`
    );
  }
  const parsed = shardManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ShardError(
      `${path}: not a shard manifest: ${issue.path.join('.') || '(top)'}: ${issue.message}; re-run shard ${index}`
    );
  }
  const m = parsed.data;
  if (m.shard.index !== index)
    throw new ShardError(
      `${path} is the manifest of shard ${m.shard.index}, not of shard ${index}: a shard was copied under another name`
    );
  return m;
}

/** The same work, every shard once, each with the range it should cover. */
function checkOneWhole(manifests: ShardManifest[]): void {
  const first = manifests[0];
  const same: [keyof ShardManifest, string][] = [
    ['kind', 'kind of work'],
    ['protocolHash', 'protocol (with its overrides)'],
    ['seed', 'seed'],
    ['appVersion', 'app version']
  ];
  for (const m of manifests) {
    for (const [key, what] of same) {
      if (m[key] !== first[key])
        throw new ShardError(
          `shard ${m.shard.index} is foreign: its ${what} (${String(m[key]).slice(0, 16)}) differs from ` +
            `shard ${first.shard.index}'s (${String(first[key]).slice(0, 16)}); a folder must hold the shards of one ` +
            `${first.kind === 'run' ? 'run' : 'power study'}`
        );
    }
    if (m.shard.count !== first.shard.count || m.total !== first.total)
      throw new ShardError(
        `shard ${m.shard.index} is foreign: it is one of ${m.shard.count} shards of ${m.total}, shard ` +
          `${first.shard.index} one of ${first.shard.count} of ${first.total}`
      );
  }
  const count = first.shard.count;
  const seen = new Set(manifests.map((m) => m.shard.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new ShardError(
      `${missing.length === 1 ? 'shard' : 'shards'} ${list(missing)} of ${count} ${missing.length === 1 ? 'has' : 'have'} ` +
        `no manifest: not run or not finished; re-run ${missing.length === 1 ? 'it' : 'them'} with --shard ${missing[0]}/${count}` +
        `${missing.length > 1 ? ' …' : ''}, then merge again`
    );
  const base = first.kind === 'run' ? 1 : 0;
  for (const m of manifests) {
    const want = shardPart(m.total, m.shard, base);
    if (m.range.first !== want.first || m.range.count !== want.count)
      throw new ShardError(
        `shard ${m.shard.index} covers ${m.range.count} from ${m.range.first}, but shard ${m.shard.index} of ${count} ` +
          `of ${m.total} covers ${want.count} from ${want.first}: re-run it`
      );
  }
  const tables = Object.keys(first.tables).sort().join(', ');
  for (const m of manifests)
    if (Object.keys(m.tables).sort().join(', ') !== tables)
      throw new ShardError(
        `shard ${m.shard.index} lists the tables ${Object.keys(m.tables).join(', ')}, not ${tables}`
      );
}

/** Each table's files: one per shard, with the rows and hash its manifest records. */
async function checkTables(db: Connector, dir: string, manifests: ShardManifest[]): Promise<void> {
  const indices = new Set(manifests.map((m) => m.shard.index));
  for (const table of Object.keys(manifests[0].tables)) {
    const folder = join(dir, table);
    const strays = (existsSync(folder) ? readdirSync(folder) : [])
      .map((f) => /^shard=(\d+)$/.exec(f))
      .filter((m) => m && !indices.has(Number(m[1])));
    if (strays.length)
      throw new ShardError(
        `${join(folder, strays[0]![0])} belongs to no shard of ${manifests[0].shard.count} (no manifest names it): ` +
          `remove it, or merge it from its own folder`
      );
    for (const m of manifests) {
      if (!existsSync(join(dir, tableFile(table, m.shard))))
        throw new ShardError(
          `shard ${m.shard.index}'s ${table} file ${tableFile(table, m.shard)} is missing; re-run shard ${m.shard.index}`
        );
    }
    let found: Map<number, { rows: number; hash: string }>;
    try {
      found = await rowsHashBy(db, `SELECT * FROM ${tableGlob(dir, table)}`, [], 'shard');
    } catch {
      throw new ShardError(await unreadableFile(db, dir, table, manifests));
    }
    for (const m of manifests) {
      const want = m.tables[table];
      const got = found.get(m.shard.index) ?? { rows: 0, hash: '0' };
      if (got.rows !== want.rows || got.hash !== want.hash)
        throw new ShardError(
          `shard ${m.shard.index}'s ${table} file holds ${got.rows} rows` +
            `${got.rows === want.rows ? ' with other values than' : ', not the ' + want.rows + ' of'} its manifest: ` +
            `it was changed or cut short; re-run shard ${m.shard.index}`
        );
    }
  }
}

/** Which shard's file of a table DuckDB cannot read (a truncated or foreign file), and why. */
async function unreadableFile(
  db: Connector,
  dir: string,
  table: string,
  manifests: ShardManifest[]
): Promise<string> {
  for (const m of manifests) {
    const path = join(dir, tableFile(table, m.shard));
    try {
      await db.query(`SELECT count(*) FROM read_parquet(${sqlString(path)})`);
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      return `shard ${m.shard.index}'s ${table} file ${path} cannot be read (${reason}); re-run shard ${m.shard.index}`;
    }
  }
  return `the ${table} files of the shards in ${dir} cannot be read together: their columns differ; re-run the shards`;
}

function list(xs: number[]): string {
  return xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 8).join(', ')} and ${xs.length - 8} more`;
}
