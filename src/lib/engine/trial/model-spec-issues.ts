import type { ModelSpec, ModelSpecError } from '../models';
import { checkUnique, type IssueList, type SpecIssue, type SpecPath } from '../../spec/issues';

/** A model spec's problems ('path: message' lines) as field-path issues. */
export function modelSpecIssues(e: ModelSpecError): SpecIssue[] {
  return e.problems.map((p) => {
    const [path, ...message] = p.split(': ');
    return {
      path: path
        .split(/\.|\[|\]/)
        .filter(Boolean)
        .map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
      message: message.join(': ')
    };
  });
}

/** Each parameter has one random effect: a parameter listed twice would get two. */
export function uniqueIivParameters(issues: IssueList, spec: ModelSpec, at: SpecPath): void {
  const parameters = spec.iiv?.parameters ?? [];
  checkUnique(
    issues,
    'iiv parameters',
    parameters.map((name, i) => ({ name, path: [...at, 'iiv', 'parameters', i] }))
  );
}
