/**
 * Hostile model text is data: host-language names are unknown names, quotes and
 * backticks are refused by the tokenizer, and size, nesting and state-count limits give
 * one clear error each, within a second, with nothing compiled or run.
 */
import { describe, expect, it } from 'vitest';
import { checkModelText, compileModelText, ModelLanguageError } from '../../../src/lib/engine/model-language';
import { DECAY, problems } from './problems';

function timed(text: string): { lines: string[]; ms: number } {
  const t0 = performance.now();
  const lines = problems(text);
  return { lines, ms: performance.now() - t0 };
}

describe('model language: hostile text', () => {
  it.each(['process', 'globalThis', 'constructor', 'toString', 'require', 'eval', 'Function'])(
    "'%s' in an expression is an unknown name",
    (name) => {
      expect(problems(DECAY.replace('-K * A', `-K * A + ${name}`))).toEqual([`8:22: unknown name '${name}'`]);
    }
  );

  it("'__proto__' is not a name, and '__proto__' as a parameter declares nothing", () => {
    expect(problems(DECAY.replace('-K * A', '-K * A + __proto__'))).toEqual([
      "8:22: unexpected '_': a name starts with a letter"
    ]);
    expect(problems(DECAY.replace('  K = 0.1', '  __proto__ = 1\n  K = 0.1'))).toEqual([
      "3:3: unexpected '_': a name starts with a letter"
    ]);
  });

  it('names such as constructor or hasOwnProperty declared by the user are ordinary names', () => {
    const text = DECAY.replace('K = 0.1', 'constructor = 0.1').replace('-K * A', '-constructor * A');
    const { model } = compileModelText(
      text.replace('A0 = 10', 'hasOwnProperty = 10').replace('= A0', '= hasOwnProperty')
    );
    expect(model.parameters.map((p) => p.name)).toEqual(['constructor', 'hasOwnProperty']);
  });

  it.each([
    [
      'a quote',
      "'x'",
      "8:22: unexpected ': text in double quotes is only a description, never part of an expression"
    ],
    [
      'a backtick',
      '`${process.exit()}`',
      '8:22: unexpected `: text in double quotes is only a description, never part of an expression'
    ],
    ['a description', '"x"', '8:22: expected an expression but found "x"'],
    ['a dollar sign', '$x', "8:22: unexpected '$'"],
    ['a semicolon', '1; process.exit()', "8:23: unexpected ';'"],
    ['a member access', 'Math.PI', "8:26: unexpected '.'"],
    ['an index', 'A[0]', '8:23: unexpected [0]']
  ])('%s in an expression is refused', (_what, text, message) => {
    expect(problems(DECAY.replace('-K * A', `-K * A + ${text}`))).toContain(message);
  });

  it('10,000 nested parentheses: one error, quickly', () => {
    const { lines, ms } = timed(DECAY.replace('-K * A', '('.repeat(10_000) + 'A' + ')'.repeat(10_000)));
    expect(lines).toEqual(['8:113: nested more than 100 levels deep']);
    expect(ms).toBeLessThan(1000);
  });

  it('a 5 MB file is refused before it is read', () => {
    const { lines, ms } = timed(DECAY + '#'.repeat(5 * 1024 * 1024));
    expect(lines).toEqual([
      `1:1: the model is ${DECAY.length + 5 * 1024 * 1024} characters; at most 1048576 are read`
    ]);
    expect(ms).toBeLessThan(1000);
  });

  it('10,000 states: one error at the 501st, quickly', () => {
    let text = 'model many\nstates\n';
    for (let i = 0; i < 10_000; i++) text += `  S${i}(0) = 1\n`;
    text += 'odes\n';
    for (let i = 0; i < 10_000; i++) text += `  d/dt(S${i}) = -S${i}\n`;
    text += 'outputs\n  Y = S0\n';
    const { lines, ms } = timed(text);
    expect(lines).toEqual(['503:3: more than 500 states']);
    expect(ms).toBeLessThan(1000);
  });

  it('a cycle through 5,000 quantities: one error naming a few of them, quickly', () => {
    let block = 'individual\n';
    for (let i = 0; i < 5000; i++) block += `  I${i} = I${i + 1} + 1\n`;
    block += '  I5000 = I0\nstates';
    const { lines, ms } = timed(DECAY.replace('states', block));
    expect(lines).toEqual([
      '6:3: a cycle among individual quantities (5001 of them): I0 → I1 → I2 → I3 → … → I4999 → I5000 → I0'
    ]);
    expect(ms).toBeLessThan(1000);
  });

  it('a thousand problems are counted, not all printed', () => {
    let text = DECAY;
    for (let i = 0; i < 2000; i++) text += `  X${i} = unknown${i}\n`;
    const { diagnostics } = checkModelText(text);
    let error: unknown;
    try {
      compileModelText(text, 'm.model');
    } catch (e) {
      error = e;
    }
    expect(diagnostics.length).toBe(1000);
    const message = (error as ModelLanguageError).message.split('\n');
    expect(message).toHaveLength(51);
    expect(message[50]).toBe('m.model: … and 950 more problems');
  });

  it('the generated code holds no character of the user text beyond numbers', () => {
    const text = DECAY.replace('K = 0.1', 'constructor = 0.1').replace('-K * A', '-constructor * A');
    const { source } = compileModelText(text);
    expect(source).not.toMatch(/constructor|decay|elimination/);
  });
});
