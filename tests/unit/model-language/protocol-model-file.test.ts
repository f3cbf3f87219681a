/**
 * A protocol naming a model file (`model: { model: { file: ../models/x.model } }`): the
 * file is read relative to the protocol into the resolved protocol's text (what a run
 * records), predicts what the library model predicts, and its problems are reported with
 * the model file's line:col under the field that named it; a missing file at its line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelSpec } from '../../../src/lib/engine/models';
import { compileProtocol, predictionTwin, predictTwin } from '../../../src/lib/engine/trial';
import { loadProtocol, type ProtocolFileReader } from '../../../src/lib/load/load-protocol';
import { readShippedFile } from '../../../src/lib/ui/shipped-protocols';
import { withLibraryModels } from '../../helpers/library-models';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { shippedModel } from './problems';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PROTOCOL = `${ROOT}protocols/antihypertensive-dose-ranging.yaml`;
const YAML = withLibraryModels(readFileSync(PROTOCOL, 'utf8'));
const LIBRARY_LINE = '  model: pk1cmt_oral+emax\n';

/** Reads files relative to the protocol; `overrides` replaces a model file's text by its base name. */
function reader(overrides: Record<string, string> = {}): ProtocolFileReader {
  return (file) => {
    const base = file.split('/').pop()!;
    if (base in overrides) return { text: overrides[base], file: `models/${base}` };
    const path = resolve(dirname(PROTOCOL), file);
    return { text: readFileSync(path, 'utf8'), file: path };
  };
}

function withFile(file: string): string {
  expect(YAML).toContain(LIBRARY_LINE);
  return YAML.replace(LIBRARY_LINE, `  model:\n    file: ${file}\n`);
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('a protocol naming a model file', () => {
  it('carries the file text in the resolved protocol and predicts what the library model predicts', () => {
    const library = compileProtocol(loadProtocol(YAML, PROTOCOL, reader()));
    const resolved = loadProtocol(withFile('../models/pk1cmt_oral_emax.model'), PROTOCOL, reader());
    expect(resolved.model.model).toEqual({
      file: `${ROOT}models/pk1cmt_oral_emax.model`,
      text: shippedModel('pk1cmt_oral_emax.model')
    });
    // The recorded protocol is self-contained: it compiles with no file reader at all.
    const recorded = JSON.parse(JSON.stringify(resolved));
    const plan = compileProtocol(recorded);
    for (let id = 1; id <= 10; id++) {
      for (let arm = 0; arm < library.arms.length; arm++) {
        const a = predictTwin(library, predictionTwin(library, id), arm, library.times);
        const b = predictTwin(plan, predictionTwin(plan, id), arm, plan.times);
        expect(maxRelativeDifference(b, a)).toBeLessThan(1e-12);
      }
    }
  });

  it('reports a missing model file at the line of the field naming it', () => {
    expect(errorOf(() => loadProtocol(withFile('../models/nope.model'), PROTOCOL, reader()))).toMatch(
      new RegExp(
        `^${PROTOCOL}:line 23: model\\.model\\.file: cannot read '\\.\\./models/nope\\.model': .*ENOENT`
      )
    );
  });

  it("reports a problem inside the model file as the file's line:col under the field naming it", () => {
    const broken = shippedModel('pk1cmt_oral_emax.model').replace('EMAX * if', 'EMAXX * if');
    const message = errorOf(() =>
      loadProtocol(
        withFile('../models/pk1cmt_oral_emax.model'),
        PROTOCOL,
        reader({ 'pk1cmt_oral_emax.model': broken })
      )
    );
    expect(message).toBe(
      `${PROTOCOL}:line 23: model.model.file: models/pk1cmt_oral_emax.model:21:12: unknown name 'EMAXX'; did you mean 'EMAX'?`
    );
  });

  it("reads a companion drug's model file too", () => {
    const path = `${ROOT}protocols/antihypertensive-combination.yaml`;
    const yaml = withLibraryModels(readFileSync(path, 'utf8'));
    const companion = '    model: pk1cmt_oral+emax\n';
    expect(yaml).toContain(companion);
    const changed = yaml.replace(companion, '    model: { file: ../models/pk1cmt_oral_emax.model }\n');
    const resolved = loadProtocol(changed, path, reader());
    expect(typeof resolved.companion!.model.model).toBe('object');
    expect((resolved.companion!.model.model as { text: string }).text).toContain('model pk1cmt_oral_emax');
  });

  it('finds shipped model files in the browser by their base name', () => {
    expect(readShippedFile('../models/pk2cmt_oral_idr1.model', 'model').text).toBe(
      shippedModel('pk2cmt_oral_idr1.model')
    );
    expect(() => readShippedFile('../models/mine.model', 'model')).toThrow(
      /no shipped model named 'mine\.model' \(shipped: .*pk2cmt_oral_idr1\.model/
    );
  });

  it('refuses a model spec whose file was never read into its text', () => {
    expect(() => parseModelSpec({ model: { file: 'x.model' } }, 'model')).toThrow(
      "model.model: the model file 'x.model' was not read (a protocol's model file is read when the protocol is loaded)"
    );
    expect(() => parseModelSpec({ model: {} }, 'model')).toThrow(
      "model.model: must be a model name such as 'pk2cmt_oral+idr1', { file: <a model file> } or { text: <the model in the model language> }"
    );
  });
});
