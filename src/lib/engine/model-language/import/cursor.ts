/**
 * A position in a token list, shared by the expression and statement parsers. Refusals
 * are `SourceError`s at a token's offset, worded with the source's name (`mrgsolve
 * construct 'for' is not supported`).
 */
import { SourceError, type Dialect, type Token } from './tokens';

/** Deeper nesting of blocks than any model needs; refusing it keeps recursion bounded. */
const MAX_NESTING = 100;

export class Cursor {
  k = 0;
  private nesting = 0;

  constructor(
    readonly tokens: Token[],
    readonly dialect: Dialect
  ) {}

  /** What the source is called in messages. */
  get tool(): string {
    return this.dialect === 'c' ? 'mrgsolve' : 'rxode2';
  }

  /** Runs `f` one block deeper; a refusal past MAX_NESTING. */
  nested<T>(f: () => T): T {
    if (++this.nesting > MAX_NESTING)
      throw new SourceError(`blocks nested more than ${MAX_NESTING} deep`, this.peek().offset);
    try {
      return f();
    } finally {
      this.nesting--;
    }
  }

  peek(): Token {
    return this.tokens[this.k];
  }

  next(): Token {
    const t = this.tokens[this.k];
    if (t.type !== 'end') this.k++;
    return t;
  }

  isOp(value: string): boolean {
    const t = this.tokens[this.k];
    return t.type === 'op' && t.value === value;
  }

  isName(value?: string): boolean {
    const t = this.tokens[this.k];
    return t.type === 'name' && (value === undefined || t.value === value);
  }

  /** Consumes the operator if it is next. */
  accept(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.k++;
    return true;
  }

  expect(value: string): Token {
    const t = this.peek();
    if (t.type !== 'op' || t.value !== value) throw this.unexpected(t, `'${value}'`);
    return this.next();
  }

  /** Skips newlines and commas between the items of a data block; false at the end. */
  nextItem(): boolean {
    while (this.tokens[this.k].type === 'newline' || this.isOp(',')) this.k++;
    return this.tokens[this.k].type !== 'end';
  }

  skipNewlines(): void {
    while (this.tokens[this.k].type === 'newline') this.k++;
  }

  /** An error at `t` naming what was expected, or refusing a construct the source may have. */
  unexpected(t: Token, expected: string): SourceError {
    if (t.type === 'end') return new SourceError(`expected ${expected} but the text ends`, t.offset);
    if (t.type === 'newline')
      return new SourceError(`expected ${expected} before the end of the line`, t.offset);
    if (t.type === 'directive') return this.refuse(t.value.split(/\s/)[0], t.offset);
    if (t.type === 'string') return this.refuse(`"${t.value}"`, t.offset, 'a string');
    const shown = /^[\x20-\x7e]+$/.test(t.value)
      ? `'${t.value}'`
      : `character U+${t.value.codePointAt(0)!.toString(16).padStart(4, '0')}`;
    return new SourceError(`expected ${expected} but found ${shown}`, t.offset);
  }

  /** `mrgsolve construct 'X' is not supported` (with why, when there is more to say). */
  refuse(construct: string, offset: number, why?: string): SourceError {
    return new SourceError(
      `${this.tool} construct '${construct}' is not supported${why ? ` (${why})` : ''}`,
      offset
    );
  }
}
