/**
 * Every shipped protocol names its models by the shipped model files
 * (`model: { file: ../models/x.model }`), and gives the same results through them as
 * through the TypeScript library models they restate (the reference): each protocol is run both ways by `twinbench run` into two
 * DuckDB files, and every endpoint and observation row is joined on (replicate, twin,
 * arm, name[, time]) and compared to 1e-9 relative — same twins, same random draws.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { ROOT, tempDir, twinbench } from '../faults/cli';
import { modelFilesOf, withLibraryModels } from '../helpers/library-models';

const N = 30;
const dir = tempDir('shipped-model-files');
const protocols = readdirSync(`${ROOT}protocols`).filter((f) => f.endsWith('.yaml'));

/** The protocol runnable from another folder, its models as shipped files or as the library's. */
function rewrite(yaml: string, as: 'library' | 'file'): string {
  const named = as === 'library' ? withLibraryModels(yaml) : yaml;
  return named.replace(/file: \.\.\/(cohorts|models)\//g, `file: ${ROOT}$1/`);
}

/** Largest relative difference of the joined rows, and the rows either side lacks. */
const COMPARE = (table: string, keys: string) => `
  SELECT count(*)::DOUBLE AS rows,
         count(*) FILTER (WHERE a.run_id IS NULL OR b.run_id IS NULL)::DOUBLE AS unmatched,
         count(*) FILTER (WHERE (a.value IS NULL) != (b.value IS NULL))::DOUBLE AS null_mismatch,
         coalesce(max(abs(a.value - b.value) / greatest(abs(a.value), abs(b.value), 1e-300)), 0) AS max_rel
  FROM ${table} a FULL JOIN files.${table} b USING (${keys})`;

describe('shipped protocols through the shipped model files', () => {
  it('every shipped protocol names its models by shipped model files', () => {
    for (const file of protocols) {
      const yaml = readFileSync(`${ROOT}protocols/${file}`, 'utf8');
      expect(modelFilesOf(yaml).length, file).toBeGreaterThan(0);
      expect(withLibraryModels(yaml), file).not.toMatch(/^ *model: \{ file/m);
    }
  });

  for (const file of protocols) {
    it(`${file}: identical endpoint and observation rows`, async () => {
      const yaml = readFileSync(`${ROOT}protocols/${file}`, 'utf8');
      const dbs = {} as Record<'library' | 'file', string>;
      for (const as of ['library', 'file'] as const) {
        const path = join(dir, `${as}-${file}`);
        writeFileSync(path, rewrite(yaml, as));
        dbs[as] = join(dir, `${as}-${file}.duckdb`);
        const r = twinbench(['run', path, '--n', String(N), '--db', dbs[as], '--workers', '0']);
        expect(r.stderr).not.toMatch(/error/i);
        expect(r.code).toBe(0);
      }
      const db = await NodeConnector.open(dbs.library);
      try {
        await db.exec(`ATTACH '${dbs.file}' AS files (READ_ONLY)`);
        for (const [table, keys] of [
          ['endpoint', 'replicate, twin_id, arm, endpoint'],
          ['observation', 'replicate, twin_id, arm, variable, time_h']
        ]) {
          const [c] = rowsOf<{ rows: number; unmatched: number; null_mismatch: number; max_rel: number }>(
            await db.query(COMPARE(table, keys))
          );
          if (table === 'endpoint') expect(c.rows).toBeGreaterThan(0);
          expect(c.unmatched, table).toBe(0);
          expect(c.null_mismatch, table).toBe(0);
          expect(c.max_rel, table).toBeLessThanOrEqual(1e-9);
        }
      } finally {
        await db.close();
      }
    });
  }
});
