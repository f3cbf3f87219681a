/**
 * A protocol naming a model file, as a user runs it: the file is read relative to the
 * protocol through the checked reader (missing, a folder, above the model size limit:
 * exit 2 at the field's line), a problem inside it is `model-file:line:col` under the
 * field, and a run records the model's text in its protocol.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { ROOT, tempDir, twinbench } from './cli';

const dir = tempDir('protocol-model-file');
const MODEL = readFileSync(`${ROOT}models/pk1cmt_oral_emax.model`, 'utf8');

/** The dose-ranging protocol in `dir/protocols/`, naming `model` as its model file. */
function protocol(model: string): string {
  const yaml = readFileSync(`${ROOT}protocols/antihypertensive-dose-ranging.yaml`, 'utf8')
    .replace('file: ../cohorts/hypertensive-adults.yaml', `file: ${ROOT}cohorts/hypertensive-adults.yaml`)
    .replace('  model: { file: ../models/pk1cmt_oral_emax.model }\n', `  model: { file: ${model} }\n`);
  mkdirSync(join(dir, 'protocols'), { recursive: true });
  const path = join(dir, 'protocols', 'p.yaml');
  writeFileSync(path, yaml);
  return path;
}

function model(name: string, text: string): void {
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'models', name), text);
}

describe('a protocol naming a model file (CLI)', () => {
  it('validates, and a run records the model text in its protocol', async () => {
    model('emax.model', MODEL);
    const file = protocol('../models/emax.model');
    const v = twinbench(['validate', file]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const db = join(dir, 'run.duckdb');
    const r = twinbench(['run', file, '--n', '20', '--db', db, '--workers', '0']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const conn = await NodeConnector.open(db);
    try {
      const [row] = rowsOf<{ protocol: string }>(await conn.query('SELECT protocol FROM run'));
      expect(JSON.parse(row.protocol).model.model).toEqual({
        file: join(dir, 'models/emax.model'),
        text: MODEL
      });
    } finally {
      await conn.close();
    }
  });

  it('refuses a missing model file, a folder and an oversized one at the field (exit 2)', () => {
    const file = protocol('../models/nope.model');
    const missing = twinbench(['validate', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${file}:line 22: model.model.file: cannot read '../models/nope.model': no such file`
    );
    mkdirSync(join(dir, 'models', 'folder.model'), { recursive: true });
    const folder = twinbench(['validate', protocol('../models/folder.model')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(
      /line 22: model\.model\.file: cannot read '\.\.\/models\/folder\.model': .*directory/
    );
    model('big.model', `${MODEL}${'#'.repeat(1100 * 1024)}\n`);
    const big = twinbench(['validate', protocol('../models/big.model')]);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(
      /line 22: model\.model\.file: cannot read '\.\.\/models\/big\.model': .*at most 1048576 are read/
    );
  });

  it("reports a problem inside the model file with the file's line:col and the field (exit 2)", () => {
    model('bad.model', MODEL.replace('EMAX * if', 'EMAXX * if'));
    const file = protocol('../models/bad.model');
    const r = twinbench(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}:line 22: model.model.file: ${join(dir, 'models/bad.model')}:21:12: unknown name 'EMAXX'; did you mean 'EMAX'?`
    );
  });
});
