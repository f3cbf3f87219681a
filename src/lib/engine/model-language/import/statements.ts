/**
 * Statements of C++ (mrgsolve code blocks) and R (rxode2 model blocks): assignments,
 * if/else with blocks, and for R the `d/dt(x)`, `x(0)`, `f(x)`, `alag(x)` and `~` forms.
 * Each becomes a `SourceStatement`; loops, declarations of other types, function
 * definitions and every other construct are refused at their position.
 */
import type { Cursor } from './cursor';
import { C_KEYWORDS, parseExpr, R_KEYWORDS } from './parse-expr';
import type { SourceExpr } from './source-expr';
import { SourceError } from './tokens';

/** One term of an rxode2 residual error: `add(sd)`, `prop(sd)`, `lnorm(sd)`. */
export interface ErrorTerm {
  fn: string;
  args: SourceExpr[];
  offset: number;
}

export type SourceStatement =
  | { k: 'assign'; target: string; expr: SourceExpr; offset: number; capture?: boolean }
  | { k: 'if'; cond: SourceExpr; then: SourceStatement[]; else: SourceStatement[]; offset: number }
  | { k: 'tilde'; target: string; terms: ErrorTerm[]; offset: number }
  | { k: 'cmt'; name: string; offset: number };

const COMPOUND = ['+=', '-=', '*=', '/='];
const C_TYPES = new Set(['double', 'float', 'bool', 'capture']);
const C_REFUSED_TYPES = new Set([
  'int',
  'long',
  'short',
  'unsigned',
  'char',
  'auto',
  'const',
  'static',
  'void',
  'std',
  'localdouble'
]);

/** C++ statements up to `}` (not consumed) or the end of the tokens. */
export function parseCStatements(c: Cursor): SourceStatement[] {
  const out: SourceStatement[] = [];
  for (;;) {
    c.skipNewlines();
    if (c.peek().type === 'end' || c.isOp('}')) return out;
    out.push(...c.nested(() => parseCStatement(c)));
  }
}

function parseCStatement(c: Cursor): SourceStatement[] {
  const t = c.peek();
  if (t.type === 'directive') throw c.refuse(t.value.split(/\s/)[0], t.offset, 'a preprocessor directive');
  if (c.accept(';')) return [];
  if (c.accept('{')) {
    const body = parseCStatements(c);
    c.skipNewlines();
    c.expect('}');
    return body;
  }
  if (t.type !== 'name') throw c.unexpected(t, 'a statement');
  // `const double x = …;` is `double x = …;` here: every quantity is assigned once anyway.
  const after = c.tokens[c.k + 1];
  if (t.value === 'const' && after?.type === 'name' && C_TYPES.has(after.value)) {
    c.next();
    return parseCStatement(c);
  }
  if (C_KEYWORDS.has(t.value)) throw c.refuse(t.value, t.offset);
  if (t.value === 'if') {
    c.next();
    c.skipNewlines();
    c.expect('(');
    const cond = parseExpr(c);
    c.skipNewlines();
    c.expect(')');
    c.skipNewlines();
    const then = c.nested(() => parseCStatement(c));
    c.skipNewlines();
    let otherwise: SourceStatement[] = [];
    if (c.isName('else')) {
      c.next();
      c.skipNewlines();
      otherwise = c.nested(() => parseCStatement(c));
    }
    return [{ k: 'if', cond, then, else: otherwise, offset: t.offset }];
  }
  if (C_REFUSED_TYPES.has(t.value))
    throw c.refuse(
      t.value,
      t.offset,
      t.value === 'int' ? 'integer arithmetic truncates; use double' : undefined
    );
  if (C_TYPES.has(t.value)) {
    c.next();
    const capture = t.value === 'capture';
    const out: SourceStatement[] = [];
    do {
      c.skipNewlines();
      if (c.isOp('*') || c.isOp('&'))
        throw c.refuse(c.peek().value, c.peek().offset, c.isOp('*') ? 'a pointer' : 'a reference');
      const name = c.next();
      if (name.type !== 'name') throw c.unexpected(name, 'a name');
      if (c.accept('='))
        out.push({ k: 'assign', target: name.value, expr: parseExpr(c), offset: name.offset, capture });
      else if (capture)
        throw new SourceError(
          `'capture ${name.value}' needs a value: capture ${name.value} = …;`,
          name.offset
        );
      // `double x;` declares without a value: the first assignment gives it one.
    } while (c.accept(','));
    endC(c);
    return out;
  }
  const name = c.next();
  const op = c.peek();
  if ((name.value === 'TIME' || name.value === 'SOLVERTIME') && op.type === 'op' && op.value !== '(')
    throw new SourceError(`'${name.value}' is the time, not a variable`, name.offset);
  if (op.type === 'op' && op.value === '=') {
    c.next();
    const expr = parseExpr(c);
    endC(c);
    return [{ k: 'assign', target: name.value, expr, offset: name.offset }];
  }
  if (op.type === 'op' && COMPOUND.includes(op.value)) {
    c.next();
    const expr = compound(name.value, op.value, parseExpr(c), name.offset, op.offset);
    endC(c);
    return [{ k: 'assign', target: name.value, expr, offset: name.offset }];
  }
  // A name the statement form does not know: a keyword (for, while, return…) or a call.
  c.k--;
  parseExpr(c);
  throw new SourceError(`expected an assignment such as '${name.value} = …;'`, name.offset);
}

function endC(c: Cursor): void {
  c.skipNewlines();
  c.expect(';');
}

function compound(target: string, op: string, expr: SourceExpr, at: number, offset: number): SourceExpr {
  return {
    k: 'bin',
    op: op[0] as '+' | '-' | '*' | '/',
    a: { k: 'name', name: target, offset: at },
    b: expr,
    offset
  };
}

/** R statements up to `}` (not consumed) or the end of the tokens. */
export function parseRStatements(c: Cursor): SourceStatement[] {
  const out: SourceStatement[] = [];
  for (;;) {
    while (c.peek().type === 'newline' || c.isOp(';')) c.next();
    if (c.peek().type === 'end' || c.isOp('}')) return out;
    out.push(...c.nested(() => parseRStatement(c)));
    const t = c.peek();
    if (!(t.type === 'newline' || t.type === 'end' || c.isOp(';') || c.isOp('}')))
      throw c.unexpected(t, 'the end of the statement');
  }
}

const ASSIGN = new Set(['=', '<-']);
/** rxode2's per-compartment dosing properties, and what each becomes. */
const DOSING: Record<string, string> = {
  f: 'F',
  F: 'F',
  alag: 'lag',
  lag: 'lag',
  dur: 'duration',
  rate: 'rate'
};

function parseRStatement(c: Cursor): SourceStatement[] {
  const t = c.peek();
  if (c.accept('{')) {
    const body = parseRStatements(c);
    c.expect('}');
    return body;
  }
  if (t.type !== 'name') throw c.unexpected(t, 'a statement');
  if (R_KEYWORDS.has(t.value)) throw c.refuse(t.value, t.offset);
  const start = c.k;
  c.next();
  if (t.value === 'if') {
    c.expect('(');
    const cond = parseExpr(c, true);
    c.skipNewlines();
    c.expect(')');
    c.skipNewlines();
    const then = c.nested(() => parseRStatement(c));
    // Inside braces R reads an `else` on the next line as the if's.
    const before = c.k;
    c.skipNewlines();
    let otherwise: SourceStatement[] = [];
    if (c.isName('else')) {
      c.next();
      c.skipNewlines();
      otherwise = c.nested(() => parseRStatement(c));
    } else c.k = before;
    return [{ k: 'if', cond, then, else: otherwise, offset: t.offset }];
  }
  // d/dt(x) = …
  if (t.value === 'd' && c.isOp('/')) {
    c.next();
    const dt = c.next();
    if (dt.type !== 'name' || dt.value !== 'dt') throw c.unexpected(dt, "'dt' in d/dt(x)");
    const state = parenthesisedName(c);
    return [{ k: 'assign', target: `d/dt(${state})`, expr: assignment(c), offset: t.offset }];
  }
  if (c.isOp('(')) {
    const open = c.peek();
    // x(0) = …, f(x) = …, alag(x) = …, cmt(x)
    c.next();
    const inner = c.next();
    c.expect(')');
    if (inner.type === 'number' && Number(inner.value) === 0)
      return [{ k: 'assign', target: `${t.value}(0)`, expr: assignment(c), offset: t.offset }];
    if (inner.type === 'name' && t.value === 'cmt')
      return [{ k: 'cmt', name: inner.value, offset: t.offset }];
    if (inner.type === 'name' && DOSING[t.value])
      return [
        { k: 'assign', target: `${DOSING[t.value]}(${inner.value})`, expr: assignment(c), offset: t.offset }
      ];
    c.k = start;
    parseExpr(c);
    throw c.refuse(`${t.value}()`, open.offset, 'a call as a statement');
  }
  if (c.isOp('~')) {
    c.next();
    return [{ k: 'tilde', target: t.value, terms: errorTerms(c), offset: t.offset }];
  }
  const op = c.peek();
  if (op.type === 'op' && ASSIGN.has(op.value)) {
    if (t.value === 't' || t.value === 'time')
      throw new SourceError(`'${t.value}' is the time, not a variable`, t.offset);
    return [{ k: 'assign', target: t.value, expr: assignment(c), offset: t.offset }];
  }
  if (op.type === 'op' && (op.value === '<<-' || op.value === '->' || op.value === '->>'))
    throw c.refuse(op.value, op.offset, 'write NAME <- value');
  c.k = start;
  parseExpr(c);
  throw new SourceError(`expected an assignment such as '${t.value} <- …'`, t.offset);
}

function parenthesisedName(c: Cursor): string {
  c.expect('(');
  const n = c.next();
  if (n.type !== 'name') throw c.unexpected(n, 'a compartment name');
  c.expect(')');
  return n.value;
}

function assignment(c: Cursor): SourceExpr {
  const op = c.next();
  if (op.type !== 'op' || !ASSIGN.has(op.value)) throw c.unexpected(op, "'=' or '<-'");
  c.skipNewlines();
  return parseExpr(c);
}

/** `add(sd)`, `prop(sd)`, `add(a) + prop(b)`, `lnorm(sd)`: calls joined by `+`. */
function errorTerms(c: Cursor): ErrorTerm[] {
  const terms: ErrorTerm[] = [];
  do {
    c.skipNewlines();
    const fn = c.next();
    if (fn.type !== 'name' || !c.isOp('('))
      throw c.unexpected(fn, 'an error model such as add(sd) or prop(sd)');
    c.next();
    const args: SourceExpr[] = [];
    c.skipNewlines();
    if (!c.isOp(')')) {
      do {
        c.skipNewlines();
        args.push(parseExpr(c));
        c.skipNewlines();
      } while (c.accept(','));
    }
    c.expect(')');
    terms.push({ fn: fn.value, args, offset: fn.offset });
  } while (c.accept('+'));
  return terms;
}
