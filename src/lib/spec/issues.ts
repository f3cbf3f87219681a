import { MAX_REPORTED_ISSUES } from './limits';

/**
 * Problems found in a spec file, each tied to the field it concerns. Every consumer
 * (CLI, editor, tests) reports all issues at once, never just the first — up to
 * MAX_REPORTED_ISSUES of them, with a count of the rest.
 */
export type SpecPath = (string | number)[];

export interface SpecIssue {
  path: SpecPath;
  message: string;
  /** 1-based line in the source file, when the spec came from text. */
  line?: number;
  /** Another field the problem involves, such as the first of two equal names. */
  related?: SpecPath;
  /** The line of `related`, when the spec came from text. */
  relatedLine?: number;
}

/** `covariates[2].distribution.sd` */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out || '(root)';
}

/** The issue's message with the field it relates to: "… (also at arms[0].name, line 12)". */
export function issueText(issue: SpecIssue): string {
  if (!issue.related) return issue.message;
  const line = issue.relatedLine !== undefined ? `, line ${issue.relatedLine}` : '';
  return `${issue.message} (also at ${formatPath(issue.related)}${line})`;
}

/** `file:line 12: arms[1].name: message`; a problem of the whole file has no field path. */
export function formatIssue(issue: SpecIssue, file?: string): string {
  const where = [file, issue.line !== undefined ? `line ${issue.line}` : undefined].filter(Boolean).join(':');
  const field = issue.path.length ? `${formatPath(issue.path)}: ` : '';
  return `${where ? where + ': ' : ''}${field}${issueText(issue)}`;
}

/** "… and 3 more problems", for the issues beyond MAX_REPORTED_ISSUES. */
export function moreProblems(omitted: number): string {
  return `… and ${omitted} more problem${omitted === 1 ? '' : 's'}`;
}

export class SpecError extends Error {
  /** The first MAX_REPORTED_ISSUES issues. */
  readonly issues: SpecIssue[];
  /** How many more there were. */
  readonly omitted: number;

  constructor(
    issues: SpecIssue[],
    readonly file?: string,
    omitted = 0
  ) {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES);
    const more = omitted + issues.length - shown.length;
    super([...shown.map((i) => formatIssue(i, file)), ...(more ? [moreProblems(more)] : [])].join('\n'));
    this.name = 'SpecError';
    this.issues = shown;
    this.omitted = more;
  }

  /** The same problems with paths or lines filled in (the count of the rest kept). */
  with(change: (issue: SpecIssue) => SpecIssue, file = this.file): SpecError {
    return new SpecError(this.issues.map(change), file, this.omitted);
  }
}

/** Collects issues under a path prefix while a spec is checked. */
export class IssueList {
  readonly items: SpecIssue[] = [];
  add(path: SpecPath, message: string, related?: SpecPath): void {
    this.items.push(related ? { path, message, related } : { path, message });
  }
  get ok(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(file?: string): void {
    if (this.items.length) throw new SpecError(this.items, file);
  }
}

/**
 * Names that become keys (arm, endpoint, covariate names…) must be unique: each
 * repeat is an issue at its own path that names the first one. Returns each name's first path.
 */
export function checkUnique(
  issues: IssueList,
  what: string,
  entries: Iterable<{ name: string; path: SpecPath }>
): Map<string, SpecPath> {
  const first = new Map<string, SpecPath>();
  for (const { name, path } of entries) {
    const earlier = first.get(name);
    if (earlier) issues.add(path, `'${name}' is used twice; ${what} must be unique`, earlier);
    else first.set(name, path);
  }
  return first;
}
