/**
 * mrgsolve's `$GLOBAL` as far as a model needs it: `#define NAME expression` lines (the
 * idiom of mrgsolve's own model library, `#define CP (CENT/V)`). A macro is expanded where
 * it is used, before the statement is translated, so its names mean what they mean there,
 * as the C preprocessor does. Anything else in $GLOBAL (functions, variables, includes,
 * macros with arguments) is refused.
 */
import { Cursor } from './cursor';
import { parseExpr } from './parse-expr';
import { substitute, type SourceExpr } from './source-expr';
import type { SourceStatement } from './statements';
import { SourceError, tokenize } from './tokens';

/** Macros expanding into macros deeper than this are a cycle. */
const MAX_EXPANSION = 50;
/** Macros that double at each level would fill memory: a statement expands to at most this many macro uses. */
const MAX_USES = 10_000;

export type Macros = Map<string, SourceExpr>;

export function readDefines(text: string, from: number, to: number, macros: Macros): void {
  for (const t of tokenize(text, 'c', from, to)) {
    if (t.type === 'newline' || t.type === 'end') continue;
    const c = new Cursor([t], 'c');
    if (t.type !== 'directive')
      throw c.refuse(t.value, t.offset, '$GLOBAL may hold only #define NAME expression lines');
    const m = /^#\s*define\s+([A-Za-z_]\w*)(\(?)\s*(.*)$/.exec(t.value);
    if (!m) throw c.refuse(t.value.split(/\s/)[0], t.offset, 'a preprocessor directive');
    if (m[2]) throw c.refuse(`#define ${m[1]}(…)`, t.offset, 'a macro with arguments');
    const bodyAt = t.offset + t.value.length - m[3].length;
    const body = new Cursor(tokenize(text, 'c', bodyAt, t.offset + t.value.length), 'c');
    const e = parseExpr(body);
    if (body.peek().type !== 'end') throw body.unexpected(body.peek(), 'the end of the macro');
    macros.set(m[1], e);
  }
}

export function expandStatements(statements: SourceStatement[], macros: Macros): SourceStatement[] {
  if (!macros.size) return statements;
  return statements.map((s) => {
    switch (s.k) {
      case 'assign':
        if (macros.has(s.target))
          throw new SourceError(`'${s.target}' is a #define macro, not a variable`, s.offset);
        return { ...s, expr: expandMacros(s.expr, macros) };
      case 'if':
        return {
          ...s,
          cond: expandMacros(s.cond, macros),
          then: expandStatements(s.then, macros),
          else: expandStatements(s.else, macros)
        };
      default:
        return s;
    }
  });
}

export function expandMacros(
  e: SourceExpr,
  macros: Macros,
  depth = 0,
  uses = { left: MAX_USES }
): SourceExpr {
  return substitute(e, (name, at) => {
    const body = macros.get(name);
    if (!body) return at;
    if (depth >= MAX_EXPANSION) throw new SourceError(`the macro '${name}' expands into itself`, at.offset);
    if (--uses.left < 0)
      throw new SourceError(`macros expand to more than ${MAX_USES} uses in one statement`, at.offset);
    return expandMacros(body, macros, depth + 1, uses);
  });
}
