import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rowsHash } from '../../analysis/rows-hash';
import { sqlString, type Connector } from '../../db/connector';
import { manifestPath, tableFile, type ShardManifest, type ShardTableEntry } from './shard-manifest';
import type { Shard } from './shard-range';

/** A table a shard writes: its name in the layout and the query giving its rows. */
export interface ShardTable {
  name: string;
  relation: string;
}

/**
 * Writes a shard's tables as Parquet (`<table>/shard=<i>/part.parquet`, with DuckDB's
 * COPY) and then its manifest. The old manifest goes first and the new one comes last, so
 * a shard re-run over a finished one, and stopped half-way, is a shard without a manifest
 * (which the merge names as missing), never a mix of old and new files that looks whole.
 * Each file is written under a temporary name and renamed; its row count and hash are
 * taken from the file as written.
 */
export async function writeShard(
  db: Connector,
  outDir: string,
  shard: Shard,
  tables: readonly ShardTable[],
  manifest: Omit<ShardManifest, 'tables' | 'timings'> & {
    timings: Omit<ShardManifest['timings'], 'writeSeconds'>;
  }
): Promise<ShardManifest> {
  const started = performance.now();
  const manifestFile = join(outDir, manifestPath(shard));
  rmSync(manifestFile, { force: true });
  const entries: Record<string, ShardTableEntry> = {};
  for (const t of tables) {
    const file = tableFile(t.name, shard);
    const path = join(outDir, file);
    const partial = `${path}.${process.pid}.partial`;
    mkdirSync(dirname(path), { recursive: true });
    try {
      await db.exec(`COPY (${t.relation}) TO ${sqlString(partial)} (FORMAT parquet)`);
      const { rows, hash } = await rowsHash(
        db,
        `SELECT * FROM read_parquet(${sqlString(partial)}, hive_partitioning = false)`,
        []
      );
      renameSync(partial, path);
      entries[t.name] = { file, rows, hash };
    } finally {
      rmSync(partial, { force: true });
    }
  }
  const timings = { ...manifest.timings, writeSeconds: (performance.now() - started) / 1000 };
  const whole: ShardManifest = { ...manifest, timings, tables: entries };
  mkdirSync(dirname(manifestFile), { recursive: true });
  const partial = `${manifestFile}.${process.pid}.partial`;
  try {
    writeFileSync(partial, JSON.stringify(whole, nonFiniteAsText, 1) + '\n');
    renameSync(partial, manifestFile);
  } finally {
    rmSync(partial, { force: true });
  }
  return whole;
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
function nonFiniteAsText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
