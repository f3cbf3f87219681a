/**
 * SQL text split into tokens as DuckDB's scanner splits it (the PostgreSQL scanner,
 * libpg_query's scan.l), so that statements, words and parentheses are found where DuckDB
 * finds them: '…' strings with '' inside, E'…' strings with backslash escapes, "…"
 * identifiers, $tag$…$tag$ strings, -- comments to the end of the line and /* … *\/
 * comments, which nest. A keyword inside a string, an identifier or a comment is not a word.
 * (The SQL console does not rely on this alone: see sql-console.ts.)
 */

export type SqlTokenKind = 'word' | 'identifier' | 'string' | 'number' | 'punct' | 'other';

export interface SqlToken {
  kind: SqlTokenKind;
  /** The token's text; a word upper-cased. */
  text: string;
  /** Offsets of the token in the SQL text, end excluded. */
  start: number;
  end: number;
}

/** A string, identifier or comment that is not closed. */
export class SqlTokenError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
    this.name = 'SqlTokenError';
  }
}

/** Letters, `_` and every non-ASCII character start a word (scan.l: ident_start). */
const WORD_START = /[A-Za-z_\u0080-\uffff]/;
/** …and digits and `$` may follow (scan.l: ident_cont). */
const WORD_PART = /[A-Za-z_0-9$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/;
const SPACE = /[ \t\n\r\f\v]/;
const PUNCT = new Set(['(', ')', ';', ',']);

export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: SqlTokenKind, start: number, end: number, text = sql.slice(start, end)) =>
    tokens.push({ kind, text, start, end });

  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (SPACE.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(sql, i);
    } else if (c === "'") {
      const end = quotedEnd(sql, i, "'", false, 'string');
      push('string', i, end);
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false, 'quoted identifier');
      push('identifier', i, end);
      i = end;
    } else if (c === '$') {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 256));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) throw new SqlTokenError(`the ${tag[0]}-quoted string starting here is not closed`, i);
        push('string', i, close + tag[0].length);
        i = close + tag[0].length;
      } else {
        // $1: a parameter (which the console has no values for); DuckDB reports it.
        let end = i + 1;
        while (end < n && /[0-9]/.test(sql[end])) end++;
        push('other', i, end);
        i = end;
      }
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end])) end++;
      const word = sql.slice(i, end);
      if ((word === 'e' || word === 'E') && sql[end] === "'") {
        // E'…': backslash escapes (scan.l: xe), so \' does not close it.
        const close = quotedEnd(sql, end, "'", true, 'string');
        push('string', i, close);
        i = close;
      } else {
        push('word', i, end, word.toUpperCase());
        i = end;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      let end = i + 1;
      while (end < n && /[0-9A-Za-z_.]/.test(sql[end])) end++;
      push('number', i, end);
      i = end;
    } else if (PUNCT.has(c)) {
      push('punct', i, i + 1);
      i++;
    } else {
      // Operators and anything else: a run of characters that starts no other token.
      let end = i + 1;
      while (end < n && startsOther(sql, end)) end++;
      push('other', i, end);
      i = end;
    }
  }
  return tokens;
}

/** Whether the character at `i` continues an operator rather than starting another token. */
function startsOther(sql: string, i: number): boolean {
  const c = sql[i];
  if (SPACE.test(c) || PUNCT.has(c) || c === "'" || c === '"' || c === '$') return false;
  if (WORD_START.test(c) || /[0-9]/.test(c)) return false;
  if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) return false;
  return true;
}

/** The offset after a /* comment starting at `start`; nested comments are counted. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw new SqlTokenError('the /* comment starting here is not closed', start);
}

/**
 * The offset after a quoted string or identifier opening at `start`: a doubled quote is
 * one quote character; with `backslash`, a backslash escapes the character after it.
 */
function quotedEnd(sql: string, start: number, quote: string, backslash: boolean, what: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  throw new SqlTokenError(`the ${what} starting here is not closed`, start);
}

/** 1-based line and column of an offset, for messages. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
