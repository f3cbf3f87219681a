/**
 * The checked expression tree shared by criteria, derived values and (later) user
 * models. User text is parsed into this tree and compiled to closures; it is never
 * handed to eval or new Function.
 */
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';
export type UnaryOp = '-' | 'not';

export type Expr =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'unary'; op: UnaryOp; arg: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'call'; fn: string; args: Expr[]; pos: number };

/** A parse or compile error that points at a character position of the source text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly pos: number
  ) {
    super(`${message} at column ${pos + 1} of "${source}"`);
    this.name = 'ExpressionError';
  }
}

/** Names referenced by an expression, in first-seen order. */
export function referencedNames(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'name':
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case 'unary':
      referencedNames(e.arg, out);
      break;
    case 'binary':
      referencedNames(e.left, out);
      referencedNames(e.right, out);
      break;
    case 'call':
      for (const a of e.args) referencedNames(a, out);
      break;
  }
  return out;
}
