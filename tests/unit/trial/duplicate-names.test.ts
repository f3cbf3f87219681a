import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { SpecError, type SpecIssue, type SpecPath } from '../../../src/lib/spec/issues';
import { smallProtocol } from '../../faults/spec-fixtures';

/**
 * Every name in a protocol that becomes a key (of stored results, of allocation
 * factors, of random effects) is unique; a repeat names the first one and its line.
 */

function issuesOf(yaml: string): SpecIssue[] {
  try {
    loadProtocol(yaml, 'p.yaml', () => {
      throw new Error('no cohort files here');
    });
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  throw new Error('expected a SpecError');
}

const lineOf = (text: string, needle: string, from = 0) =>
  text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('names that become keys are unique in a protocol', () => {
  it('the unchanged fixture is valid', () => {
    expect(() => loadProtocol(smallProtocol(), 'p.yaml', () => ({ text: '', file: '' }))).not.toThrow();
  });

  const cases: [string, (y: string) => string, SpecPath, string, string][] = [
    [
      'arm names',
      (y) => y.replace('name: active', 'name: placebo'),
      ['arms', 1, 'name'],
      "'placebo' is used twice; arm names must be unique",
      'arms[0].name'
    ],
    [
      'endpoint names',
      (y) => y.replace('name: responder', 'name: e_change'),
      ['endpoints', 1, 'name'],
      "'e_change' is used twice; endpoint names must be unique",
      'endpoints[0].name'
    ],
    [
      'observed outputs',
      (y) => y.replace('observe: [E]', 'observe: [E, C, E]'),
      ['observe', 2],
      "'E' is used twice; observed outputs must be unique",
      'observe[0]'
    ],
    [
      'strata',
      (y) => y.replace('arms:', 'allocation: { method: stratified, strata: [sex, sex] }\narms:'),
      ['allocation', 'strata', 1],
      "'sex' is used twice; strata must be unique",
      'allocation.strata[0]'
    ],
    [
      'iiv parameters',
      (y) =>
        y.replace(
          '  residualError:',
          '  iiv: { parameters: [CL, V, CL], omega: [[0.1, 0, 0], [0, 0.1, 0], [0, 0, 0.1]] }\n  residualError:'
        ),
      ['model', 'iiv', 'parameters', 2],
      "'CL' is used twice; iiv parameters must be unique",
      'model.iiv.parameters[0]'
    ]
  ];

  it.each(cases)('%s', (_, edit, path, message, related) => {
    const text = smallProtocol(edit);
    const issues = issuesOf(text);
    expect(
      issues.map((i) => i.path),
      JSON.stringify(issues)
    ).toEqual([path]);
    const [issue] = issues;
    expect(issue.message).toBe(message);
    expect(issue.related?.join('.')).toBe(related.replace(/\[(\d+)\]/g, '.$1'));
    expect(issue.line).toBeGreaterThan(1);
    expect(issue.relatedLine).toBeGreaterThan(1);
    expect(issue.relatedLine).toBeLessThanOrEqual(issue.line!);
  });

  it('a repeated covariate of an inline cohort is reported under cohort.spec with both lines', () => {
    const text = smallProtocol((y) => y.replace('name: weight', 'name: sex'));
    const [issue] = issuesOf(text);
    expect(issue.path).toEqual(['cohort', 'spec', 'covariates', 1, 'name']);
    expect(issue.related).toEqual(['cohort', 'spec', 'covariates', 0, 'name']);
    expect(issue.line).toBe(lineOf(text, '{ name: sex, type: continuous'));
    expect(issue.relatedLine).toBe(lineOf(text, '{ name: sex, type: categorical'));
  });
});
