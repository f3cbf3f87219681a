import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { SpecError, type SpecIssue, type SpecPath } from './issues';

/**
 * Parses YAML text against a zod schema. Syntax errors, schema errors and (through
 * `lineOf`) later cross-field errors all carry the 1-based line of the field.
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const issues: SpecIssue[] = doc.errors.map((e) => ({
      path: [],
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
      line: lineCounter.linePos(e.pos[0]).line
    }));
    throw new SpecError(issues, file);
  }
  const lineOf = makeLineOf(doc, lineCounter);
  const data = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SpecError(
      [{ path: [], message: 'the file must be a YAML mapping (key: value lines)', line: 1 }],
      file
    );
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issues = flattenZodIssues(result.error.issues, [], data, schema).map((i) => ({
      ...i,
      line: lineOf(i.path)
    }));
    throw new SpecError(issues, file);
  }
  return { value: result.data, lineOf };
}

/** Attaches lines to issues found after parsing (cross-field checks) and rethrows. */
export function withLines(e: unknown, lineOf: (p: SpecPath) => number | undefined, file?: string): unknown {
  if (!(e instanceof SpecError)) return e;
  return new SpecError(
    e.issues.map((i) => ({ ...i, line: i.line ?? lineOf(i.path) })),
    file ?? e.file
  );
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
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_value')
    return `${issue.message.replace(/^Invalid option: expected one of /, 'must be one of ')}`;
  if (issue.code === 'invalid_type' && value === undefined) return `required (${issue.expected})`;
  return issue.message;
}
