// "Use in a protocol": a protocol's model replaced by a model text and the previewed values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../src/lib/spec/issues';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { protocolWithModelText } from '../../../src/lib/ui/protocol-model';

const PROTOCOL = 'protocols/antihypertensive-dose-ranging.yaml';
const yaml = readFileSync(PROTOCOL, 'utf8');
const text = readFileSync('models/pk1cmt_oral_emax.model', 'utf8');
const readFile = (path: string) => ({ text: readFileSync(`protocols/${path}`, 'utf8'), file: path });

describe('protocolWithModelText', () => {
  it('carries the text and the previewed values, keeps the rest of the protocol, and loads', () => {
    const out = protocolWithModelText(yaml, { file: 'emax.model', text }, { CL: 25, EC50: 0.01 });
    expect(out).toContain('# yaml-language-server'); // comments kept
    const p = loadProtocol(out, PROTOCOL, readFile);
    expect(p.model.model).toEqual({ file: 'emax.model', text });
    expect(p.model.parameters).toEqual({ CL: 25, EC50: 0.01 });
    expect(p.arms.map((a) => a.name)).toEqual(['placebo', '2.5 mg', '5 mg', '10 mg']);
    expect(p.model.residualError?.E).toEqual({ type: 'additive', additive: 8 });
  });

  it("drops the old model's overrides when nothing was changed", () => {
    const out = protocolWithModelText(yaml, { file: 'emax.model', text }, {});
    expect(loadProtocol(out, PROTOCOL, readFile).model.parameters).toBeUndefined();
  });

  it('reports what the new model lacks at its line', () => {
    const pkOnly = readFileSync('models/pk1cmt_oral.model', 'utf8');
    const out = protocolWithModelText(yaml, { file: 'pk.model', text: pkOnly }, {});
    let error: unknown;
    try {
      loadProtocol(out, PROTOCOL, readFile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const issues = (error as SpecError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.line !== undefined)).toBe(true);
  });

  it('refuses YAML it cannot parse', () => {
    expect(() => protocolWithModelText('model: [1, 2\n', { file: 'x.model', text }, {})).toThrow(
      /cannot be read.*fix it first/
    );
  });
});
