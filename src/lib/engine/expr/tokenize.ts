import { ExpressionError } from './ast';

export type Token =
  | { type: 'number'; value: number; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'name'; value: string; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'end'; pos: number };

export const OPERATORS = [
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '(',
  ')',
  ',',
  '!',
  '='
];
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_.]/;
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** Splits expression text into tokens; words such as `and`, `or`, `not` stay names. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const m = NUMBER.exec(source.slice(i));
      if (!m) throw new ExpressionError(`malformed number`, source, i);
      tokens.push({ type: 'number', value: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < source.length && NAME_PART.test(source[j])) j++;
      tokens.push({ type: 'name', value: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw new ExpressionError(`unterminated string`, source, i);
      tokens.push({ type: 'string', value: source.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character '${ch}'`, source, i);
    if (op === '=') throw new ExpressionError(`'=' is not a comparison; use '=='`, source, i);
    tokens.push({ type: 'op', value: op, pos: i });
    i += op.length;
  }
  tokens.push({ type: 'end', pos: source.length });
  return tokens;
}
