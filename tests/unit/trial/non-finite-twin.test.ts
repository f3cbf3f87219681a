/**
 * A twin whose parameters make the model give NaN or ±Infinity fails the run with a
 * TwinSimulationError naming the twin, arm, replicate and — for a model text — the first
 * statement that is not finite (never a stored value).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileProtocol,
  predictionTwin,
  predictTwin,
  simulateTrialChunk,
  TwinSimulationError
} from '../../../src/lib/engine/trial';
import { firstNonFinitePrediction } from '../../../src/lib/engine/trial/non-finite-twin';
import { loadProtocol } from '../../../src/lib/load/load-protocol';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PROTOCOL = `${ROOT}protocols/antihypertensive-dose-ranging.yaml`;
const FILE_LINE = '  model: { file: ../models/pk1cmt_oral_emax.model }\n';
const EMAX = readFileSync(`${ROOT}models/pk1cmt_oral_emax.model`, 'utf8');

/** The emax model with Z = sqrt(EC50/0.01 - 1): NaN for the twins whose EC50 is below 0.01 (about half). */
const NAN_MODEL = EMAX.replace('pk one', 'individual\n  Z = sqrt(EC50 / 0.01 - 1)\n\npk one').replace(
  '  E = E0 + EMAX',
  '  E = E0 + min(Z, 0) + EMAX'
);

const ALLOCATION = 'method: stratified, blockSize: 8, strata: [sex]';
const PARAMETERS = '  parameters: { CL: 25, V: 1500,';

/** The protocol with another model section (block allocation: chunks allocate themselves). */
function plan(modelSection: string, parameters = PARAMETERS) {
  const yaml = readFileSync(PROTOCOL, 'utf8');
  for (const part of [FILE_LINE, ALLOCATION, PARAMETERS]) expect(yaml).toContain(part);
  const changed = yaml
    .replace(FILE_LINE, modelSection)
    .replace(ALLOCATION, 'method: block, blockSize: 8')
    .replace(PARAMETERS, parameters);
  return compileProtocol(
    loadProtocol(changed, PROTOCOL, (file) => {
      const path = resolve(dirname(PROTOCOL), file);
      return { text: readFileSync(path, 'utf8'), file: path };
    })
  );
}

function errorOf(f: () => unknown): TwinSimulationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TwinSimulationError);
    return e as TwinSimulationError;
  }
  throw new Error('no error');
}

describe('a twin whose model values are not finite', () => {
  it('fails the run naming the twin, arm, replicate and the first statement that is not finite', () => {
    const text = NAN_MODEL.replace(/^(?=.)/gm, '      ');
    const p = plan(`  model:\n    file: nan.model\n    text: |\n${text}\n`);
    const ec50 = p.model.parameters.findIndex((d) => d.name === 'EC50');
    const first = Array.from({ length: 50 }, (_, i) => i + 1).find(
      (id) => predictionTwin(p, id).params[ec50] < 0.01
    )!;
    expect(first).toBeGreaterThan(1);
    const e = errorOf(() => simulateTrialChunk(p, 0, 1, 50));
    expect(e.twinId).toBe(first);
    expect(e.message).toMatch(
      new RegExp(
        `^twin ${first}, arm [^,]+, replicate 0: nan\\.model:18:7: 'Z' is NaN at t=0 h \\(E is NaN at t=0 h\\)$`
      )
    );
    // The twins before it run.
    expect(() => simulateTrialChunk(p, 0, 1, first - 1)).not.toThrow();
    // A prediction (twinbench simulate, the protocol preview) is refused the same way.
    const twin = predictionTwin(p, first);
    expect(errorOf(() => predictTwin(p, twin, 0, p.times)).message).toMatch(
      new RegExp(`^twin ${first}, arm placebo: nan\\.model:18:7: 'Z' is NaN at t=0 h`)
    );
  });

  it('names the output and time for a library model', () => {
    const p = plan('  model: pk1cmt_oral+emax\n', '  parameters: { CL: 25, V: 0,');
    const e = errorOf(() => simulateTrialChunk(p, 0, 1, 5));
    expect(e.message).toMatch(
      /^twin \d+, arm [^,]+, replicate 0: output '\w+' is -?(NaN|Infinity) at t=\d+ h: check the twin's parameter values$/
    );
  });

  it('finds the first NaN or ±Infinity, output by output', () => {
    expect(firstNonFinitePrediction(Float64Array.of(1, 2, 3, 4), 2, 2)).toBeUndefined();
    expect(firstNonFinitePrediction(Float64Array.of(1, 2, 3, -Infinity), 2, 2)).toEqual({ output: 1, k: 1 });
    expect(firstNonFinitePrediction(Float64Array.of(1, NaN, Infinity, 4), 2, 2)).toEqual({ output: 0, k: 1 });
    // Beyond the last group of four, and among negative values (x * 0 = -0).
    expect(firstNonFinitePrediction(Float64Array.of(-1, -2, -3, -4, -5, -6), 2, 3)).toBeUndefined();
    expect(firstNonFinitePrediction(Float64Array.of(-1, 2, 3, 4, 5, NaN), 2, 3)).toEqual({ output: 1, k: 2 });
    expect(
      firstNonFinitePrediction(Float64Array.of(1.7976931348623157e308, 1e308, 1e308, 1e308), 1, 4)
    ).toBeUndefined();
  });
});
