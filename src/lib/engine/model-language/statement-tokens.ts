/**
 * Tokens of one statement: names, numbers, "descriptions", [units] and operators, each
 * with its offset in the file. Anything else (quotes other than ", backticks, $, …) is
 * refused here, so no host-language syntax can reach the expression parser.
 */
import { OPERATORS as EXPRESSION_OPERATORS } from '../expr/tokenize';

export interface StatementToken {
  type: 'name' | 'number' | 'string' | 'unit' | 'op' | 'end';
  value: string;
  /** File offset of the token's first character. */
  offset: number;
}

/** The expression operators, `->` (dose targets) and `~` (distributions, errors); longest first. */
const OPERATORS = ['->', ...EXPRESSION_OPERATORS, '~'];
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z][A-Za-z0-9_]*/y;
export const MAX_NAME_LENGTH = 64;

export class TokenError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export function tokenizeStatement(text: string, base: number): StatementToken[] {
  const tokens: StatementToken[] = [];
  let i = 0;
  const push = (type: StatementToken['type'], value: string, from: number) =>
    tokens.push({ type, value, offset: base + from });
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    NAME.lastIndex = i;
    const number = /[0-9.]/.test(ch) ? NUMBER.exec(text) : null;
    const name = number ? null : NAME.exec(text);
    if (number) {
      push('number', number[0], i);
      i += number[0].length;
    } else if (name) {
      if (name[0].length > MAX_NAME_LENGTH)
        throw new TokenError(`a name is at most ${MAX_NAME_LENGTH} characters`, base + i);
      push('name', name[0], i);
      i += name[0].length;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      const eol = text.indexOf('\n', i + 1);
      if (end < 0 || (eol >= 0 && eol < end)) throw new TokenError(`unterminated "description"`, base + i);
      push('string', text.slice(i + 1, end), i);
      i = end + 1;
    } else if (ch === '[') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) throw new TokenError(`unterminated [unit]`, base + i);
      push('unit', text.slice(i + 1, end), i);
      i = end + 1;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new TokenError(unexpected(ch), base + i);
      push('op', op, i);
      i += op.length;
    }
  }
  tokens.push({ type: 'end', value: '', offset: base + text.length });
  return tokens;
}

function unexpected(ch: string): string {
  if (ch === "'" || ch === '`')
    return `unexpected ${ch}: text in double quotes is only a description, never part of an expression`;
  if (ch === '_') return `unexpected '_': a name starts with a letter`;
  const shown = /[\x20-\x7e]/.test(ch)
    ? `'${ch}'`
    : `character U+${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  return `unexpected ${shown}`;
}
