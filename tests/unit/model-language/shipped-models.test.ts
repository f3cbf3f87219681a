/**
 * The shipped models/*.model files restate the TypeScript library: each declares the
 * library model's parameters (names and typical values) and outputs, and gives its
 * profiles to 1e-9 relative on every simulation path; every shipped protocol predicts the
 * same through them, twin by twin (BM1, whose cohort imports a data file, in
 * tests/faults/model.test.ts through the CLI).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import {
  resolveModel,
  simulateChunk,
  typicalParameters,
  type Dose,
  type ModelDefinition
} from '../../../src/lib/engine/models';
import { compileProtocol, predictionTwin, predictTwin } from '../../../src/lib/engine/trial';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { libraryNameOf, withLibraryModels } from '../../helpers/library-models';
import { maxRelativeDifference } from '../../helpers/relative-difference';

const ROOT = new URL('../../../', import.meta.url).pathname;
const files = readdirSync(`${ROOT}models`).filter((f) => f.endsWith('.model'));
const text = (file: string) => readFileSync(`${ROOT}models/${file}`, 'utf8');

function doses(model: ModelDefinition): Dose[] {
  const target = model.doseTargets[0].name;
  return [
    { time: 0, amount: 100, target },
    { time: 24, amount: 100, target, duration: 2 },
    { time: 72, amount: 50, target }
  ];
}

describe('shipped model files', () => {
  it('cover the library', () => {
    expect(files.length).toBeGreaterThanOrEqual(22);
  });

  for (const file of files) {
    it(`${file} restates ${libraryNameOf(file)}`, () => {
      const library = resolveModel(libraryNameOf(file));
      const model = compileModelText(text(file), file).model;
      const byName = (m: ModelDefinition) => new Map(m.parameters.map((p) => [p.name, p.value]));
      expect(byName(model)).toEqual(byName(library));
      expect(model.outputs.map((o) => o.name)).toEqual(library.outputs.map((o) => o.name));
      expect(model.doseTargets.map((d) => d.name)).toEqual(library.doseTargets.map((d) => d.name));
      // The library's hand-set flag for the exact (affine) path is what the compiler finds.
      const affine = (m: ModelDefinition) => m.kind === 'pkpd' && m.pd !== null && m.pd.affine === true;
      expect(affine(model)).toBe(affine(library));
      const p = typicalParameters(model);
      const q = Float64Array.from(
        library.parameters,
        (d) => p[model.parameters.findIndex((x) => x.name === d.name)]
      );
      const times = Float64Array.from({ length: 200 }, (_, k) => k * 2.5);
      for (const mode of ['auto', 'ode'] as const) {
        if (mode === 'ode' && model.kind === 'ode') continue;
        const options = { mode, rtol: 1e-10, atol: 1e-12 };
        const a = simulateChunk(model, p, times, doses(model), options);
        const b = simulateChunk(library, q, times, doses(library), options);
        expect(maxRelativeDifference(a, b, 1e-9)).toBeLessThan(1e-9);
      }
    });
  }
});

describe('shipped protocols through the shipped model files', () => {
  // bm1 is checked by its own golden test; a cohort of calibrated patients needs its fits
  // file read through DuckDB (tests/integration/calibrated-cohort.test.ts runs that one,
  // and its model file is the paediatric protocol's, checked here).
  const protocols = readdirSync(`${ROOT}protocols`).filter(
    (f) =>
      f.endsWith('.yaml') &&
      f !== 'bm1.yaml' &&
      !/^\s+calibration:/m.test(readFileSync(`${ROOT}protocols/${f}`, 'utf8'))
  );
  const load = (path: string, yaml: string) =>
    loadProtocol(yaml, path, (file) => {
      const at = resolve(dirname(path), file);
      return { text: readFileSync(at, 'utf8'), file: at };
    });
  /** `model: { file: ../models/x.model }` lines replaced by the file's text, at the same indentation. */
  const withTexts = (yaml: string) =>
    yaml.replace(/^( *)model: \{ file: \.\.\/models\/(\S+) \}$/gm, (_, indent: string, file: string) => {
      const body = text(file).replace(/^(?=.)/gm, `${indent}    `);
      return `${indent}model:\n${indent}  text: |\n${body}`;
    });

  for (const file of protocols) {
    it(file, () => {
      const path = `${ROOT}protocols/${file}`;
      const yaml = readFileSync(path, 'utf8');
      const changed = withTexts(yaml);
      expect(changed).not.toBe(yaml);
      const library = compileProtocol(load(path, withLibraryModels(yaml)));
      const texts = compileProtocol(load(path, changed));
      for (let id = 1; id <= 5; id++) {
        const a = predictionTwin(library, id);
        const b = predictionTwin(texts, id);
        for (let arm = 0; arm < library.arms.length; arm++) {
          const pa = predictTwin(library, a, arm, library.times);
          const pb = predictTwin(texts, b, arm, texts.times);
          expect(maxRelativeDifference(pb, pa, 1e-9)).toBeLessThan(1e-9);
        }
      }
    });
  }
});
