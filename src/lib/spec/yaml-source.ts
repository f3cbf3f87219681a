import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { SpecError, type SpecIssue, type SpecPath } from './issues';
import { MAX_LISTED_KEYS, MAX_SPEC_BYTES, MAX_YAML_ALIASES } from './limits';

/**
 * Parses YAML text against a zod schema. Syntax errors, schema errors and (through
 * `lineOf`) later cross-field errors all carry the 1-based line of the field.
 * Every step is linear in the size of the text, which is capped at MAX_SPEC_BYTES.
 */
export interface ParsedSource<T> {
  value: T;
  /** Line of the node at `path`, or of its nearest existing ancestor. */
  lineOf(path: SpecPath): number | undefined;
}

export function parseYamlSpec<S extends z.ZodType>(
  text: string,
  schema: S,
  file?: string
): ParsedSource<z.infer<S>> {
  const fail = (message: string, line?: number): never => {
    throw new SpecError([{ path: [], message, line }], file);
  };
  if (text.length > MAX_SPEC_BYTES) fail(tooLarge(text.length));
  const lineCounter = new LineCounter();
  // yaml's own uniqueKeys check compares every key with every other (150,000 keys took
  // minutes): duplicateKeys below does the same in one pass.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const syntax: SpecIssue[] = doc.errors.map((e) => ({
    path: [],
    message: `YAML syntax: ${e.message.split('\n')[0]}`,
    line: lineAt(e.pos[0])
  }));
  if (syntax.length) throw new SpecError(syntax, file);
  const duplicates = duplicateKeys(doc, lineAt);
  if (duplicates.length) throw new SpecError(duplicates, file);
  const lineOf = makeLineOf(doc, lineCounter);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    // yaml refuses an alias bomb ("billion laughs") with a ReferenceError.
    if (!(e instanceof ReferenceError)) throw e;
    fail(`the YAML expands its aliases (*name) too many times (at most ${MAX_YAML_ALIASES} expansions)`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    fail('the file must be a YAML mapping (key: value lines)', 1);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    // Lines are looked up for the reported issues only.
    const all = flattenZodIssues(result.error.issues, [], data, schema);
    throw new SpecError(all, file).with((i) => ({ ...i, line: lineOf(i.path) }));
  }
  return { value: result.data, lineOf };
}

/** "the spec is 2,400,000 bytes; a spec may be at most 1 MB (1,000,000 bytes)" */
export function tooLarge(bytes: number): string {
  const n = (b: number) => b.toLocaleString('en-US');
  return `the spec is ${n(bytes)} bytes; a spec may be at most ${MAX_SPEC_BYTES / 1e6} MB (${n(MAX_SPEC_BYTES)} bytes)`;
}

/** Attaches lines to issues found after parsing (cross-field checks) and rethrows. */
export function withLines(e: unknown, lineOf: (p: SpecPath) => number | undefined, file?: string): unknown {
  if (!(e instanceof SpecError)) return e;
  return e.with(
    (i) => ({
      ...i,
      line: i.line ?? lineOf(i.path),
      relatedLine: i.relatedLine ?? (i.related ? lineOf(i.related) : undefined)
    }),
    file ?? e.file
  );
}

/**
 * Keys given twice in one mapping, each with both lines, in one pass over the document
 * (an explicit stack: a deeply nested file cannot overflow the call stack).
 */
function duplicateKeys(doc: Document, lineAt: (offset: number) => number): SpecIssue[] {
  const out: SpecIssue[] = [];
  const stack: { node: unknown; path: SpecPath }[] = [{ node: doc.contents, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (isMap(item) || isSeq(item)) stack.push({ node: item, path: [...path, i] });
      });
    } else if (isMap(node)) {
      const seen = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        const line = isNode(pair.key) && pair.key.range ? lineAt(pair.key.range[0]) : undefined;
        if (seen.has(key)) {
          const first = seen.get(key);
          out.push({
            path: [...path, key],
            message: `the key '${key}' is given twice${first !== undefined ? ` (first on line ${first})` : ''}`,
            line
          });
        } else {
          seen.set(key, line);
        }
        if (isMap(pair.value) || isSeq(pair.value)) stack.push({ node: pair.value, path: [...path, key] });
      }
    }
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function makeLineOf(doc: Document, lc: LineCounter) {
  return (path: SpecPath): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

type ZodIssue = z.core.$ZodIssue;

/**
 * zod's issues as field-path issues. For a union, only the branch that came closest is
 * reported (so an unknown distribution kind reads as such, not as "Invalid input").
 */
export function flattenZodIssues(
  issues: readonly ZodIssue[],
  prefix: SpecPath,
  data: unknown,
  schema?: z.ZodType
): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (issue.code === 'invalid_union' && issue.errors.length) {
      const best = [...issue.errors].sort((a, b) => unionScore(a) - unionScore(b))[0];
      out.push(...flattenZodIssues(best, path, data, schema));
      continue;
    }
    let message = zodMessage(issue, valueAt(data, path));
    if (issue.code === 'unrecognized_keys' && schema) {
      const allowed = allowedKeys(schema, data, path);
      if (allowed) message += `; allowed: ${allowed.join(', ')}`;
    }
    out.push({ path, message });
  }
  return out;
}

/** Lower is closer: a wrong type at the branch's root means the branch is not meant. */
function unionScore(branch: readonly ZodIssue[]): number {
  return branch.reduce((s, i) => s + (i.code === 'invalid_type' ? 10 : 1), 0);
}

/** Internal shape of a zod v4 schema, as far as allowedKeys walks it. */
interface ZodNode {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, ZodNode>;
      element?: ZodNode;
      valueType?: ZodNode;
      innerType?: ZodNode;
      in?: ZodNode;
      options?: ZodNode[];
      discriminator?: string;
    };
  };
}

/** The field names a schema allows for the object at `path` of `data`. */
function allowedKeys(schema: z.ZodType, data: unknown, path: SpecPath): string[] | undefined {
  let node = schema as unknown as ZodNode;
  const resolve = (n: ZodNode, value: unknown): ZodNode => {
    for (;;) {
      const def = n._zod.def;
      if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
        n = def.innerType;
      } else if (def.type === 'pipe' && def.in) {
        n = def.in;
      } else if (def.type === 'union' && def.options) {
        const disc = def.discriminator;
        const v = value as Record<string, unknown> | undefined;
        const match = def.options.find((o) => {
          const inner = resolve(o, value)._zod.def;
          if (inner.type !== 'object') return false;
          if (!disc) return true;
          const lit = inner.shape?.[disc]?._zod.def as unknown as { values?: unknown[] };
          return lit?.values?.includes(v?.[disc]);
        });
        if (!match) return n;
        n = match;
      } else {
        return n;
      }
    }
  };
  node = resolve(node, data);
  for (let k = 0; k < path.length; k++) {
    const def = node._zod.def;
    const key = path[k];
    const next =
      def.type === 'object'
        ? def.shape?.[key as string]
        : def.type === 'array'
          ? def.element
          : def.type === 'record'
            ? def.valueType
            : undefined;
    if (!next) return undefined;
    node = resolve(next, valueAt(data, path.slice(0, k + 1)));
  }
  return node._zod.def.type === 'object' ? Object.keys(node._zod.def.shape ?? {}) : undefined;
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function zodMessage(issue: ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const shown = value === undefined ? 'missing' : `unknown ${issue.discriminator} '${String(value)}'`;
    return `${shown}; allowed: ${options.join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const listed = issue.keys.slice(0, MAX_LISTED_KEYS).map((k) => `'${k}'`);
    const more = issue.keys.length - listed.length;
    return `unknown field(s) ${listed.join(', ')}${more ? ` and ${more} more` : ''}`;
  }
  if (issue.code === 'invalid_value')
    return `${issue.message.replace(/^Invalid option: expected one of /, 'must be one of ')}`;
  if (issue.code === 'invalid_type' && value === undefined) return `required (${issue.expected})`;
  return issue.message;
}
