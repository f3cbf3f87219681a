/**
 * A protocol carrying its model as text (`model: { model: { text } }`): the same
 * predictions as the library model it restates, the text's variability and residual
 * error as defaults the protocol may override, and the text's problems as spec errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProtocol, predictionTwin, predictTwin } from '../../../src/lib/engine/trial';
import { parseModelSpec } from '../../../src/lib/engine/models';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { maxRelativeDifference } from '../../helpers/relative-difference';
import { withLibraryModels } from '../../helpers/library-models';
import { shippedModel } from './problems';

const PROTOCOL = new URL('../../../protocols/antihypertensive-dose-ranging.yaml', import.meta.url).pathname;
const EMAX = shippedModel('pk1cmt_oral_emax.model');
/** The shipped protocol with the library model its model file restates (the reference). */
const LIBRARY = withLibraryModels(readFileSync(PROTOCOL, 'utf8'));

function load(text: string) {
  return loadProtocol(text, PROTOCOL, (file) => {
    const path = resolve(dirname(PROTOCOL), file);
    return { text: readFileSync(path, 'utf8'), file: path };
  });
}

/** The shipped protocol with its library model replaced by a model text. */
function withText(model: string): string {
  const indented = model
    .split('\n')
    .map((l) => (l ? `      ${l}` : ''))
    .join('\n');
  expect(LIBRARY).toContain('  model: pk1cmt_oral+emax\n');
  return LIBRARY.replace(
    '  model: pk1cmt_oral+emax\n',
    `  model:\n    file: emax.model\n    text: |\n${indented}\n`
  );
}

describe('model language: a protocol with a model text', () => {
  it('predicts what the library model predicts, twin by twin and arm by arm', () => {
    const library = compileProtocol(load(LIBRARY));
    const text = compileProtocol(load(withText(EMAX)));
    expect(text.model.outputs.map((o) => o.name)).toEqual(library.model.outputs.map((o) => o.name));
    for (let id = 1; id <= 20; id++) {
      for (let arm = 0; arm < library.arms.length; arm++) {
        const a = predictTwin(library, predictionTwin(library, id), arm, library.times);
        const b = predictTwin(text, predictionTwin(text, id), arm, text.times);
        expect(maxRelativeDifference(b, a)).toBeLessThan(1e-12);
      }
    }
  });

  it("takes the text's variability and residual error unless the protocol gives its own", () => {
    const model = EMAX.replace('outputs', 'variability\n  CL ~ lognormal(var = 0.1)\n\noutputs').replace(
      '"drug effect (baseline + drug)"',
      '~ additive(3) "drug effect"\n  C2 = 2 * C ~ proportional(0.2)'
    );
    const { spec } = parseModelSpec({ model: { text: model } });
    expect(spec.iiv).toMatchObject({ parameters: ['CL'], omega: [[0.1]] });
    expect(spec.residualError).toEqual({
      E: { type: 'additive', additive: 3 },
      C2: { type: 'proportional', proportional: 0.2 }
    });
    const overridden = parseModelSpec({
      model: { text: model },
      iiv: { parameters: ['V'], omega: [[0.2]] },
      residualError: { E: { type: 'additive', additive: 8 } }
    }).spec;
    expect(overridden.iiv).toEqual({ parameters: ['V'], omega: [[0.2]] });
    expect(overridden.residualError).toEqual({
      E: { type: 'additive', additive: 8 },
      C2: { type: 'proportional', proportional: 0.2 }
    });
  });

  it("reports the text's problems under model.model, each with the file's line and column", () => {
    let error: unknown;
    try {
      compileProtocol(load(withText(EMAX.replace('EMAX * if', 'EMAXX * if'))));
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toContain(
      `${PROTOCOL}:line 23: model.model: emax.model:21:12: unknown name 'EMAXX'; did you mean 'EMAX'?`
    );
  });

  it("applies the text's covariate statements as the library's typed covariate effects", () => {
    const yaml = LIBRARY;
    const typed =
      '  covariates:\n' +
      '    - { type: power, parameter: CL, covariate: weight, reference: 70, exponent: 0.75 }\n' +
      '    - { type: power, parameter: V, covariate: weight, reference: 70, exponent: 1 }\n';
    expect(yaml).toContain(typed);
    const model = EMAX.replace(
      'pk one',
      'covariates\n  CL = CL * (weight / 70)^0.75\n  V = V * pow(weight / 70, 1)\n\npk one'
    );
    const library = compileProtocol(load(yaml));
    const text = compileProtocol(load(withText(model).replace(typed, '')));
    expect(text.covariateNames).toEqual(['weight']);
    for (let id = 1; id <= 20; id++) {
      const a = predictionTwin(library, id);
      const b = predictionTwin(text, id);
      expect(maxRelativeDifference(b.params, a.params)).toBeLessThan(1e-14);
      for (let arm = 0; arm < library.arms.length; arm++) {
        const pa = predictTwin(library, a, arm, library.times);
        const pb = predictTwin(text, b, arm, text.times);
        expect(maxRelativeDifference(pb, pa)).toBeLessThan(1e-12);
      }
    }
  });

  it('refuses a text whose covariate statements use a covariate the cohort lacks', () => {
    const model = EMAX.replace('pk one', 'covariates\n  CL = CL * (egfr_x / 90)\n\npk one');
    expect(() => compileProtocol(load(withText(model)))).toThrow(
      /line 23: model\.model: the cohort has no covariate 'egfr_x' \(has /
    );
  });
});
