/**
 * Tokens of an mrgsolve (C++) or rxode2 (R) model text, each with its offset in the
 * file so every refusal can name a line and column. Comments are skipped (`//` and
 * `/* *\/` in C++, `#` in R); a C++ line starting with `#` is a preprocessor directive,
 * kept as one token so the translator can refuse it by name. Newlines are tokens: R
 * ends a statement at the end of a line.
 */

export type Dialect = 'c' | 'r';

export interface Token {
  type: 'name' | 'number' | 'string' | 'op' | 'newline' | 'directive' | 'end';
  value: string;
  offset: number;
}

const C_OPERATORS = [
  '<<=',
  '>>=',
  '::',
  '->',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<<',
  '>>'
];
const R_OPERATORS = [
  '<<-',
  '->>',
  '%%',
  '%/%',
  '%in%',
  '<-',
  '->',
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '::'
];
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[A-Za-z]*/y;
const C_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const R_NAME = /(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9_.]*/y;

export class SourceError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

export function tokenize(text: string, dialect: Dialect, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  const operators = dialect === 'c' ? C_OPERATORS : R_OPERATORS;
  const nameRe = dialect === 'c' ? C_NAME : R_NAME;
  let lineStart = true;
  let i = from;
  while (i < to) {
    const ch = text[i];
    if (ch === '\n') {
      tokens.push({ type: 'newline', value: '\n', offset: i });
      lineStart = true;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (dialect === 'r' && ch === '#') {
      i = lineEnd(text, i, to);
      continue;
    }
    if (dialect === 'c' && text.startsWith('//', i)) {
      i = lineEnd(text, i, to);
      continue;
    }
    if (dialect === 'c' && text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0 || end >= to) throw new SourceError('unterminated /* comment', i);
      i = end + 2;
      continue;
    }
    if (dialect === 'c' && ch === '#' && atLineStart) {
      const end = lineEnd(text, i, to);
      tokens.push({ type: 'directive', value: text.slice(i, end).trim(), offset: i });
      i = end;
      continue;
    }
    NUMBER.lastIndex = i;
    nameRe.lastIndex = i;
    const number =
      /[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? '')) ? NUMBER.exec(text) : null;
    const name = number ? null : nameRe.exec(text);
    if (number) {
      tokens.push({ type: 'number', value: number[0], offset: i });
      i += number[0].length;
    } else if (name) {
      tokens.push({ type: 'name', value: name[0], offset: i });
      i += name[0].length;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      // An R string may span lines (rxode2("…") holds a whole model); a C++ one may not.
      while (j < to && text[j] !== ch && (dialect === 'r' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      if (j >= to || text[j] !== ch) throw new SourceError('unterminated string', i);
      tokens.push({ type: 'string', value: text.slice(i + 1, j), offset: i });
      i = j + 1;
    } else {
      const op = operators.find((o) => text.startsWith(o, i)) ?? ch;
      tokens.push({ type: 'op', value: op, offset: i });
      i += op.length;
    }
  }
  tokens.push({ type: 'end', value: '', offset: to });
  return tokens;
}

function lineEnd(text: string, i: number, to: number): number {
  const end = text.indexOf('\n', i);
  return end < 0 || end > to ? to : end;
}
