// Colours of the model language in the editor: the tokens a line-by-line tokenizer gives.
import { describe, expect, it } from 'vitest';
import { modelLanguage } from '../../../src/lib/ui/code-editor/model-syntax';

function tokens(text: string): [string, string][] {
  const out: [string, string][] = [];
  modelLanguage.parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isTop) return;
      out.push([node.name, text.slice(node.from, node.to)]);
    }
  });
  return out;
}

describe('model syntax', () => {
  it('colours blocks, headers, declarations, units, strings, comments and functions', () => {
    const t = tokens(
      [
        'model x # the name',
        'parameters',
        '  CL = 5 [L/h] "clearance"',
        'variability',
        '  CL ~ lognormal(var = 0.09)',
        'odes',
        '  d/dt(R) = exp(-CL * t) and R'
      ].join('\n')
    );
    expect(t).toContainEqual(['keyword', 'model']);
    expect(t).toContainEqual(['comment', '# the name']);
    expect(t).toContainEqual(['keyword', 'parameters']);
    expect(t).toContainEqual(['variableName.definition', 'CL']);
    expect(t).toContainEqual(['number', '5']);
    expect(t).toContainEqual(['typeName', '[L/h]']);
    expect(t).toContainEqual(['string', '"clearance"']);
    expect(t).toContainEqual(['atom', 'lognormal']);
    expect(t).toContainEqual(['keyword', 'd/dt']);
    expect(t).toContainEqual(['variableName.function', 'exp']);
    expect(t).toContainEqual(['atom', 't']);
    expect(t).toContainEqual(['operatorKeyword', 'and']);
  });

  it('colours a block word used as a name as a name', () => {
    expect(tokens('odes\n  model = 1')).toContainEqual(['variableName.definition', 'model']);
  });
});
