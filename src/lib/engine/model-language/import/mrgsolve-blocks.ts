/**
 * mrgsolve's blocks and its data blocks: `$NAME` or `[ NAME ]` at the start of a line
 * with `@options`, and the values of $PARAM/$INIT (`NAME = value`, or with @annotated
 * `NAME : value : description`), $CMT/$CAPTURE names, and $OMEGA/$SIGMA/$THETA matrices.
 */
import { Cursor } from './cursor';
import type { SourceParameter } from './imported-model';
import { parseExpr } from './parse-expr';
import { constantValue, type SourceExpr } from './source-expr';
import { SourceError, type Token } from './tokens';

export interface Block {
  name: string;
  options: Set<string>;
  /** Offsets of the block's content in the file. */
  from: number;
  to: number;
  offset: number;
}

/** `$NAME` or `[ NAME ]` at the start of a line; options `@name` on that line or the lines after. */
export function splitBlocks(text: string): (Block & { labelList?: string[] })[] {
  const re = /^[ \t]*(?:\$([A-Za-z]+)|\[[ \t]*([A-Za-z]+)[ \t]*\])/gm;
  const heads: { name: string; offset: number; after: number }[] = [];
  for (let m; (m = re.exec(text));)
    heads.push({
      name: (m[1] ?? m[2]).toUpperCase(),
      offset: m.index + m[0].indexOf(m[1] ?? '[') - (m[1] ? 1 : 0),
      after: m.index + m[0].length
    });
  const first = heads[0]?.offset ?? text.length;
  const before = text
    .slice(0, first)
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
    .trim();
  if (before)
    throw new SourceError(
      `expected an mrgsolve block such as $PARAM before this text`,
      text.indexOf(before[0])
    );
  if (!heads.length) throw new SourceError(`no mrgsolve blocks ($PARAM, $CMT, $ODE…) in this file`, 0);
  return heads.map((h, i) => {
    const to = i + 1 < heads.length ? heads[i + 1].offset : text.length;
    let from = h.after;
    const options = new Set<string>();
    let labelList: string[] | undefined;
    // Options: @word [values] at the start of the content, on the block's line or after.
    // @labels and @name take the rest of their line; other options are a word.
    const opt = /^[ \t\n\r]*@([A-Za-z]+)((?<=@(?:labels|name))[^\n@]*)?/;
    for (let m; (m = opt.exec(text.slice(from, to))); from += m[0].length) {
      options.add(m[1].toLowerCase());
      if (m[1] === 'labels')
        labelList = (m[2] ?? '')
          .trim()
          .split(/[\s,]+/)
          .filter(Boolean);
    }
    return { name: h.name, options, from, to, offset: h.offset, labelList };
  });
}

/** `NAME = value, …` or, with @annotated, `NAME : value : description` lines. */
export function namedValues(
  text: string,
  b: Block,
  tokens: Token[]
): (SourceParameter & { offset: number })[] {
  const out: (SourceParameter & { offset: number })[] = [];
  const c = new Cursor(tokens, 'c');
  while (c.nextItem()) {
    const name = c.next();
    if (name.type !== 'name') throw c.unexpected(name, 'a name');
    const annotated = c.isOp(':');
    if (!annotated) c.expect('=');
    else c.next();
    const e = parseValue(c);
    const value = constantValue(e);
    if (value === undefined) throw new SourceError(`the value of '${name.value}' must be a number`, e.offset);
    let description = '';
    if (annotated && c.isOp(':')) description = restOfLine(text, c);
    out.push({ name: name.value, value, description, offset: name.offset });
  }
  return out;
}

/** An expression up to a comma or the end of its line (values in data blocks). */
function parseValue(c: Cursor): SourceExpr {
  const at = c.k;
  let end = at;
  while (
    !['newline', 'end'].includes(c.tokens[end].type) &&
    !(c.tokens[end].type === 'op' && [',', ':'].includes(c.tokens[end].value))
  )
    end++;
  const sub = new Cursor(
    [...c.tokens.slice(at, end), { type: 'end', value: '', offset: c.tokens[end].offset }],
    'c'
  );
  const e = parseExpr(sub);
  if (sub.peek().type !== 'end') throw sub.unexpected(sub.peek(), 'a value');
  c.k = end;
  return e;
}

function restOfLine(text: string, c: Cursor): string {
  const colon = c.next();
  let k = c.k;
  while (!['newline', 'end'].includes(c.tokens[k].type)) k++;
  const end = c.tokens[k].offset;
  c.k = k;
  return text
    .slice(colon.offset + 1, end)
    .replace(/\/\/.*$/, '')
    .trim()
    .replace(/"/g, "'");
}

/** Names separated by spaces, commas or lines; with @annotated `NAME : description`; in $CAPTURE also `new = old`. */
export function names(text: string, b: Block, tokens: Token[], renames = false) {
  const out: { name: string; source?: string; description: string; offset: number }[] = [];
  const c = new Cursor(tokens, 'c');
  while (c.nextItem()) {
    const name = c.next();
    if (name.type !== 'name') throw c.unexpected(name, 'a name');
    let source: string | undefined;
    if (renames && c.accept('=')) {
      const s = c.next();
      if (s.type !== 'name') throw c.unexpected(s, 'a name');
      source = s.value;
    }
    const description = c.isOp(':') ? restOfLine(text, c) : '';
    out.push({ name: name.value, source, description, offset: name.offset });
  }
  return out;
}

/**
 * $OMEGA / $SIGMA: a diagonal (numbers), or with @block the lower triangle row by row,
 * with @correlation its off-diagonals as correlations; @annotated rows `NAME : value : …`
 * and @labels give the rows names usable in the code.
 */
export function matrix(text: string, b: Block & { labelList?: string[] }, tokens: Token[]) {
  const c = new Cursor(tokens, 'c');
  const values: number[] = [];
  const labels: string[] = [...(b.labelList ?? [])];
  while (c.nextItem()) {
    if (b.options.has('annotated') && c.peek().type === 'name') {
      labels.push(c.next().value);
      c.expect(':');
      const e = parseValue(c);
      values.push(constantValue(e) ?? NaN);
      if (c.isOp(':')) restOfLine(text, c);
      continue;
    }
    // Numbers separated by spaces: a sign belongs to the number after it.
    const sign = c.accept('-') ? -1 : 1;
    const t = c.next();
    const v = t.type === 'number' ? Number(t.value) : NaN;
    if (!Number.isFinite(v)) throw c.unexpected(t, 'a number');
    values.push(sign * v);
  }
  const variances: number[] = [];
  const covariances: { i: number; j: number; value: number }[] = [];
  if (!b.options.has('block')) variances.push(...values);
  else {
    const n = Math.round((Math.sqrt(8 * values.length + 1) - 1) / 2);
    if ((n * (n + 1)) / 2 !== values.length)
      throw new SourceError(
        `a @block matrix needs a lower triangle (1, 3, 6, 10… numbers), got ${values.length}`,
        b.offset
      );
    let k = 0;
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      rows.push(values.slice(k, k + i + 1));
      k += i + 1;
    }
    rows.forEach((r, i) => variances.push(r[i]));
    const corr = b.options.has('correlation') || b.options.has('cor');
    rows.forEach((r, i) =>
      r.slice(0, i).forEach((v, j) => {
        if (v !== 0) covariances.push({ i, j, value: corr ? v * Math.sqrt(variances[i] * variances[j]) : v });
      })
    );
  }
  variances.forEach((v) => {
    if (!(v >= 0)) throw new SourceError(`a variance must be a number ≥ 0, got ${v}`, b.offset);
  });
  return { variances, covariances, labels };
}
