import type { Text } from '@codemirror/state';

/**
 * Where a problem reported as line:col sits in a document: from its column to the end of
 * the name or number starting there (one character otherwise), or the whole line when
 * only the line is known. Lines and columns out of range are clamped, so a problem
 * computed for a slightly older text still lands somewhere sensible.
 */
export function problemRange(
  doc: Text,
  problem: { line: number; col?: number }
): { from: number; to: number; line: number } {
  const line = doc.line(Math.min(Math.max(1, Math.floor(problem.line)), doc.lines));
  if (problem.col === undefined) return { from: line.from, to: line.to, line: line.number };
  const offset = Math.min(Math.max(0, Math.floor(problem.col) - 1), line.length);
  const rest = line.text.slice(offset);
  const length = /^[A-Za-z0-9_.]+/.exec(rest)?.[0].length ?? Math.min(1, rest.length);
  return { from: line.from + offset, to: line.from + offset + length, line: line.number };
}
