// Where the editor marks a problem reported as line:col (the checker's and the spec's).
import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { problemRange } from '../../../src/lib/ui/code-editor/problem-range';

const doc = Text.of(['parameters', '  CL = 5 [L/h]', 'odes', '  d/dt(R) = KIN - KOUTT * R']);
const slice = (r: { from: number; to: number }) => doc.sliceString(r.from, r.to);

describe('problemRange', () => {
  it('marks the name or number at line:col', () => {
    expect(slice(problemRange(doc, { line: 4, col: 19 }))).toBe('KOUTT');
    expect(slice(problemRange(doc, { line: 2, col: 8 }))).toBe('5');
    expect(problemRange(doc, { line: 4, col: 19 }).line).toBe(4);
  });

  it('marks one character where no name starts, and the whole line without a column', () => {
    expect(slice(problemRange(doc, { line: 2, col: 10 }))).toBe('[');
    expect(slice(problemRange(doc, { line: 2 }))).toBe('  CL = 5 [L/h]');
  });

  it('clamps lines and columns past the text (a problem of a slightly older text)', () => {
    expect(problemRange(doc, { line: 99, col: 1 }).line).toBe(4);
    expect(problemRange(doc, { line: 0 }).line).toBe(1);
    const end = problemRange(doc, { line: 3, col: 50 });
    expect([end.from, end.to]).toEqual([doc.line(3).to, doc.line(3).to]);
  });
});
