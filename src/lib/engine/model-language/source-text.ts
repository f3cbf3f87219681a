/**
 * A model file as text: its size limit, positions as line:col, comments blanked, and
 * its physical lines joined into statements (a line ending in an operator, a comma or
 * inside open parentheses continues on the next one). Offsets stay offsets of the
 * original text, so every later error can point at the user's line and column.
 */

export { MAX_MODEL_BYTES } from '../../spec/limits';

export interface Diagnostic {
  line: number;
  col: number;
  message: string;
}

/** Every problem of a model text, reported together, each as `file:line:col: message`. */
export class ModelLanguageError extends Error {
  constructor(
    readonly file: string,
    readonly diagnostics: readonly Diagnostic[]
  ) {
    super(formatDiagnostics(file, diagnostics).join('\n'));
    this.name = 'ModelLanguageError';
  }
}

/** At most this many lines are printed; the rest are counted. */
const MAX_PRINTED = 50;
const MAX_DIAGNOSTICS = 1000;

export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[]): string[] {
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = sorted.slice(0, MAX_PRINTED).map((d) => `${file}:${d.line}:${d.col}: ${d.message}`);
  if (sorted.length > MAX_PRINTED) lines.push(`${file}: … and ${sorted.length - MAX_PRINTED} more problems`);
  return lines;
}

export interface Statement {
  /** The statement's text with comments blanked (same length as the source slice). */
  text: string;
  /** Offset of text[0] in the file. */
  offset: number;
}

export class SourceText {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lineStarts: number[] = [0];
  /** The text with every comment replaced by spaces. */
  private readonly clean: string;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    this.clean = blankComments(text);
  }

  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo] + 1 };
  }

  error(offset: number, message: string): void {
    // Past this many, more problems only cost time: the first ones say what is wrong.
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) return;
    this.diagnostics.push({ ...this.position(offset), message });
  }

  /** The non-blank statements, in order. */
  statements(): Statement[] {
    const out: Statement[] = [];
    const { clean, lineStarts } = this;
    let start = -1;
    for (let l = 0; l < lineStarts.length; l++) {
      const from = lineStarts[l];
      const to = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : clean.length;
      const line = clean.slice(from, to);
      if (start < 0) {
        if (line.trim() === '') continue;
        start = from;
      }
      // Only a visible trailing operator continues a statement: an unclosed parenthesis
      // is reported on its own line instead of swallowing the rest of the file.
      const continues = /(?:[-+*/^,(=~<>]|\band|\bor)$/.test(line.trimEnd());
      if (!continues || l + 1 === lineStarts.length) {
        out.push({ text: clean.slice(start, to), offset: start });
        start = -1;
      }
    }
    return out;
  }
}

/** `#` to the end of the line, outside a double-quoted description. */
function blankComments(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') inString = false;
    else if (ch === '"') inString = !inString;
    else if (ch === '#' && !inString) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
      out += text.slice(from, i) + ' '.repeat(end - i);
      from = end;
      i = end - 1;
    }
  }
  return out + text.slice(from);
}
