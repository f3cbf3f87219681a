/**
 * Problems found in a spec file, each tied to the field it concerns. Every consumer
 * (CLI, editor, tests) reports all issues at once, never just the first.
 */
export type SpecPath = (string | number)[];

export interface SpecIssue {
  path: SpecPath;
  message: string;
  /** 1-based line in the source file, when the spec came from text. */
  line?: number;
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

export function formatIssue(issue: SpecIssue, file?: string): string {
  const where = [file, issue.line !== undefined ? `line ${issue.line}` : undefined].filter(Boolean).join(':');
  return `${where ? where + ': ' : ''}${formatPath(issue.path)}: ${issue.message}`;
}

export class SpecError extends Error {
  constructor(
    readonly issues: SpecIssue[],
    readonly file?: string
  ) {
    super(issues.map((i) => formatIssue(i, file)).join('\n'));
    this.name = 'SpecError';
  }
}

/** Collects issues under a path prefix while a spec is checked. */
export class IssueList {
  readonly items: SpecIssue[] = [];
  add(path: SpecPath, message: string): void {
    this.items.push({ path, message });
  }
  get ok(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(file?: string): void {
    if (this.items.length) throw new SpecError(this.items, file);
  }
}
