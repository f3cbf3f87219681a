import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../src/lib/engine/model-language/parse-model';
import { SourceText } from '../../../src/lib/engine/model-language/source-text';
import { compileModelText, ModelLanguageError } from '../../../src/lib/engine/model-language';
import { DECAY, modelFile, problems } from './problems';

const parse = (text: string) => {
  const source = new SourceText(text);
  return { tree: parseModel(source), diagnostics: source.diagnostics };
};

describe('model language: parsing', () => {
  it('reads the documented example into a typed tree', () => {
    const { tree, diagnostics } = parse(modelFile('pk2cmt_oral_idr1.model'));
    expect(diagnostics).toEqual([]);
    expect(tree.name?.name).toBe('pk2cmt_oral_idr1');
    expect(tree.reference).toMatch(/Dayneka/);
    expect(tree.parameters.map((p) => [p.name, p.value, p.unit?.text])).toContainEqual(['CL', 5, 'L/h']);
    expect(tree.variability.find((v) => v.name === 'IMAX')).toMatchObject({
      distribution: 'logit',
      variance: 0.2,
      lower: 0,
      upper: 1
    });
    expect(tree.correlations[0]).toMatchObject({ a: { name: 'CL' }, b: { name: 'V1' }, value: 0.3 });
    expect(tree.pk).toMatchObject({ compartments: 2, route: 'oral' });
    expect([...tree.pk!.args.keys()]).toEqual(['CL', 'V1', 'Q', 'V2', 'KA', 'F']);
    expect(tree.states.map((s) => s.name)).toEqual(['R']);
    expect(tree.intermediates.map((s) => s.name)).toEqual(['inhibition']);
    expect(tree.derivatives.map((d) => d.state.name)).toEqual(['R']);
    expect(tree.outputs.map((o) => [o.name, o.error])).toEqual([
      ['CP', { type: 'proportional', proportional: 0.1 }],
      ['SBP', { type: 'additive', additive: 4 }]
    ]);
  });

  it('joins a line ending in an operator or a comma with the next, and ignores comments', () => {
    const text = DECAY.replace('-K * A', '-K *   # rate\n    A').replace(
      'additive(0.5)',
      'combined(add = 0.5, # sd\n prop = 0.1)'
    );
    const { tree, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(tree.derivatives[0].expr.tree).toMatchObject({ kind: 'binary', op: '*' });
    expect(tree.outputs[0].error).toEqual({ type: 'combined', additive: 0.5, proportional: 0.1 });
  });

  it('reports every syntax error at once, each at its line and column', () => {
    const text = DECAY.replace('K = 0.1 [1/h]', 'K = 0.1 [1/h] extra')
      .replace('d/dt(A) = -K * A', 'd/dt(A) = -K * (A')
      .replace('additive(0.5)', 'gaussian(0.5)');
    expect(problems(text)).toEqual([
      "3:17: unexpected 'extra'",
      "8:20: expected ')' but found end of expression",
      "10:16: unknown error model 'gaussian' (additive, proportional, combined or exponential)"
    ]);
  });

  it('throws one ModelLanguageError whose message has a file:line:col line per problem', () => {
    const text = DECAY.replace('-K * A', '-KK * A').replace('A0 = 10', 'A0 = 10 +');
    let error: unknown;
    try {
      compileModelText(text, 'models/decay.model');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelLanguageError);
    expect((error as Error).message.split('\n')).toEqual([
      'models/decay.model:4:13: expected an expression but found [mg]',
      "models/decay.model:8:14: unknown name 'KK'"
    ]);
  });

  it('reads `if(condition, a, b)` and the comparison and logic operators', () => {
    const text = DECAY.replace('-K * A', '-if(t > 24 and not (A <= 0), 2 * K, K) * A');
    const { tree, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(tree.derivatives[0].expr.tree).toMatchObject({
      kind: 'binary',
      op: '*',
      left: { kind: 'unary', op: '-', arg: { kind: 'call', fn: 'if' } }
    });
  });

  it('refuses statements outside a block', () => {
    expect(problems('model m\nK = 1\nhazards\n')).toEqual([
      '2:1: expected a header statement (model, title, reference, solver, tolerance, pk) or a block keyword (parameters, variability, covariates, individual, states, odes, outputs, hazards, doses)'
    ]);
  });
});
