import { describe, expect, it } from 'vitest';
import { loadCohortSpec } from '../../../src/lib/load/load-cohort';
import { cohortSpec } from '../../../src/lib/spec/cohort-schema';
import { SpecError, type SpecIssue } from '../../../src/lib/spec/issues';
import { compileCohort } from '../../../src/lib/engine/cohort';

/**
 * Bad cohort files: every problem is reported with its field path, its line in the
 * YAML file, and what would have been allowed.
 */

function issuesOf(yaml: string): SpecIssue[] {
  try {
    loadCohortSpec(yaml, 'bad.yaml');
  } catch (e) {
    if (e instanceof SpecError) {
      // the message carries file, line and path for a person reading a terminal
      for (const i of e.issues) {
        if (i.line !== undefined) expect(e.message).toContain(`bad.yaml:line ${i.line}`);
      }
      return e.issues;
    }
    throw e;
  }
  throw new Error('expected a SpecError');
}

function onlyIssue(yaml: string): SpecIssue {
  const issues = issuesOf(yaml);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  return issues[0];
}

/** Two normal covariates x and y and a categorical sex; `rest` is appended. */
const withXY = (rest: string) => `name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.5 }
  - name: x
    type: continuous
    distribution: { kind: normal, mean: 0, sd: 1 }
  - name: y
    type: continuous
    distribution: { kind: normal, mean: 0, sd: 1 }
${rest}`;

describe('cohort spec errors: distributions', () => {
  it('unknown distribution kind names the field, line and allowed kinds', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: x
    type: continuous
    distribution: { kind: gamma, shape: 2 }
`);
    expect(i.path).toEqual(['covariates', 0, 'distribution', 'kind']);
    expect(i.line).toBe(5);
    expect(i.message).toBe(
      "unknown kind 'gamma'; allowed: normal, lognormal, truncnormal, uniform, empirical"
    );
  });

  it('unknown covariate type lists the types', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: x
    type: integer
`);
    expect(i.path).toEqual(['covariates', 0, 'type']);
    expect(i.line).toBe(4);
    expect(i.message).toMatch(/unknown type 'integer'; allowed: continuous, categorical, binary, band/);
  });

  it('negative SD names the sd field and the allowed range', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: x
    type: continuous
    distribution:
      kind: normal
      mean: 0
      sd: -1
`);
    expect(i.path).toEqual(['covariates', 0, 'distribution', 'sd']);
    expect(i.line).toBe(8);
    expect(i.message).toMatch(/greater than 0/);
  });

  it('negative SD inside a by-level map points at that level', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.5 }
  - name: h
    type: continuous
    by: sex
    distribution:
      F: { kind: normal, mean: 160, sd: 7 }
      M: { kind: normal, mean: 175, sd: -7 }
`);
    expect(i.path).toEqual(['covariates', 1, 'distribution', 'M', 'sd']);
    expect(i.line).toBe(11);
    expect(i.message).toMatch(/greater than 0/);
  });

  it('a lognormal needs one of meanlog/median and one of sdlog/cv', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: w
    type: continuous
    distribution: { kind: lognormal, median: 70, meanlog: 4.2, cv: 0.2 }
`);
    expect(i.path).toEqual(['covariates', 0, 'distribution']);
    expect(i.line).toBe(5);
    expect(i.message).toMatch(/exactly one of meanlog or median/);
  });

  it('truncation bounds in the wrong order', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: a
    type: continuous
    distribution: { kind: truncnormal, mean: 50, sd: 10, lower: 80, upper: 20 }
`);
    expect(i.path).toEqual(['covariates', 0, 'distribution']);
    expect(i.message).toMatch(/lower \(80\) must be below upper \(20\)/);
  });

  it('an empirical table that does not run from p = 0 to 1', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: a
    type: continuous
    distribution: { kind: empirical, quantiles: [[0.1, 1], [0.9, 5]] }
`);
    expect(i.path).toEqual(['covariates', 0, 'distribution', 'quantiles']);
    expect(i.message).toMatch(/from 0 to 1/);
  });
});

describe('cohort spec errors: categorical levels', () => {
  it('probabilities not summing to 1 give the sum', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.4 }
`);
    expect(i.path).toEqual(['covariates', 0, 'levels']);
    expect(i.line).toBe(5);
    expect(i.message).toBe('probabilities must sum to 1, but they sum to 0.9');
  });

  it('a probability above 1 is refused by the schema', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: smoker
    type: binary
    p: 1.2
`);
    expect(i.path).toEqual(['covariates', 0, 'p']);
    expect(i.line).toBe(5);
    expect(i.message).toMatch(/probability between 0 and 1/);
  });

  it('a conditional table that does not sum to 1 points at its level', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.5 }
  - name: smoke
    type: categorical
    by: sex
    levels:
      F: { never: 0.6, former: 0.2, current: 0.2 }
      M: { never: 0.5, former: 0.3, current: 0.3 }
`);
    expect(i.path).toEqual(['covariates', 1, 'levels', 'M']);
    expect(i.line).toBe(11);
    expect(i.message).toMatch(/sum to 1, but they sum to 1.1/);
  });

  it('a level map missing a level names the missing level and the by covariate', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.5 }
  - name: h
    type: continuous
    by: sex
    distribution:
      F: { kind: normal, mean: 160, sd: 7 }
`);
    expect(i.path).toEqual(['covariates', 1, 'distribution']);
    expect(i.line).toBe(10);
    expect(i.message).toBe('missing level(s) M of sex');
  });

  it('a level map with an unknown level lists the levels', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.5 }
  - name: h
    type: continuous
    by: sex
    distribution:
      F: { kind: normal, mean: 160, sd: 7 }
      M: { kind: normal, mean: 175, sd: 7 }
      X: { kind: normal, mean: 170, sd: 7 }
`);
    expect(i.path).toEqual(['covariates', 1, 'distribution']);
    expect(i.message).toBe('unknown level(s) X; sex has F, M');
  });

  it('a by naming an unknown covariate names the by field and lists the categorical covariates', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.5 }
  - name: age
    type: continuous
    distribution: { kind: uniform, min: 20, max: 80 }
  - name: h
    type: continuous
    by: gender
    distribution:
      F: { kind: normal, mean: 160, sd: 7 }
      M: { kind: normal, mean: 175, sd: 7 }
`);
    expect(i.path).toEqual(['covariates', 2, 'by']);
    expect(i.line).toBe(11);
    expect(i.message).toMatch(/'gender' is not a categorical or band covariate defined earlier/);
    // the allowed values: the categorical covariates defined before it (sex), not age
    expect(i.message).toMatch(/\bsex\b/);
    expect(i.message).not.toMatch(/\bage\b/);
  });

  it('a band with the wrong number of labels', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: age
    type: continuous
    distribution: { kind: uniform, min: 20, max: 80 }
  - name: age_band
    type: band
    of: age
    breaks: [40, 60]
    labels: [young, old]
`);
    expect(i.path).toEqual(['covariates', 1, 'labels']);
    expect(i.line).toBe(10);
    expect(i.message).toBe('2 breaks make 3 bands, but 2 labels are given');
  });
});

describe('cohort spec errors: correlations', () => {
  it('a matrix that is not symmetric names the cell and both values', () => {
    const i = onlyIssue(
      withXY(`correlations:
  - variables: [x, y]
    matrix:
      - [1, 0.5]
      - [0.4, 1]
`)
    );
    expect(i.path).toEqual(['correlations', 0, 'matrix', 1, 0]);
    expect(i.line).toBe(16);
    expect(i.message).toBe('not symmetric: [1][0] = 0.4 but [0][1] = 0.5');
  });

  it('a matrix that is not positive definite', () => {
    const i = onlyIssue(`name: bad
covariates:
  - { name: a, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
  - { name: b, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
  - { name: c, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
correlations:
  - variables: [a, b, c]
    matrix:
      - [1, 0.9, -0.9]
      - [0.9, 1, 0.9]
      - [-0.9, 0.9, 1]
`);
    expect(i.path).toEqual(['correlations', 0, 'matrix']);
    expect(i.line).toBe(9);
    expect(i.message).toMatch(/not positive definite/);
  });

  it('a matrix of the wrong size says the size it must have', () => {
    const i = onlyIssue(
      withXY(`correlations:
  - variables: [x, y]
    matrix: [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]]
`)
    );
    expect(i.path).toEqual(['correlations', 0, 'matrix']);
    expect(i.line).toBe(14);
    expect(i.message).toBe('must be 2×2 for 2 variables (x, y)');
  });

  it('a diagonal other than 1 and a correlation outside [-1, 1]', () => {
    const issues = issuesOf(
      withXY(`correlations:
  - variables: [x, y]
    matrix:
      - [2, 1.5]
      - [1.5, 1]
`)
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      [['correlations', 0, 'matrix', 0, 0], 15],
      [['correlations', 0, 'matrix', 1, 0], 16]
    ]);
    expect(issues[0].message).toMatch(/diagonal .* must be 1/);
    expect(issues[1].message).toMatch(/between -1 and 1, got 1.5/);
  });

  it('a correlated variable that is not a continuous covariate', () => {
    const i = onlyIssue(
      withXY(`correlations:
  - variables: [x, sex]
    matrix: [[1, 0.5], [0.5, 1]]
`)
    );
    expect(i.path).toEqual(['correlations', 0, 'variables', 1]);
    expect(i.line).toBe(13);
    expect(i.message).toMatch(/'sex' is not a continuous covariate/);
  });
});

describe('cohort spec errors: criteria and derived', () => {
  it('a criterion naming an unknown covariate lists the known names', () => {
    const i = onlyIssue(
      withXY(`criteria:
  - x > 0
  - weight > 50
`)
    );
    expect(i.path).toEqual(['criteria', 1]);
    expect(i.line).toBe(14);
    expect(i.message).toBe(`unknown variable 'weight' (known: sex, x, y) at column 1 of "weight > 50"`);
  });

  it('a criterion syntax error gives the column within the expression', () => {
    const i = onlyIssue(
      withXY(`criteria:
  - name: adult
    expr: x >= (1 +
`)
    );
    expect(i.path).toEqual(['criteria', 0, 'expr']);
    expect(i.line).toBe(14);
    expect(i.message).toMatch(/unexpected end of expression at column 10 of "x >= \(1 \+"/);
  });

  it('a criterion with an unknown level lists the levels', () => {
    const i = onlyIssue(withXY(`criteria:\n  - "sex == 'X'"\n`));
    expect(i.path).toEqual(['criteria', 0]);
    expect(i.line).toBe(13);
    expect(i.message).toMatch(/'X' is not a level of sex \(levels: F, M\)/);
  });

  it('an unknown derived formula lists the formulas', () => {
    const i = onlyIssue(withXY(`derived:\n  - name: bsa\n    formula: bsa_haycock\n`));
    expect(i.path).toEqual(['derived', 0, 'formula']);
    expect(i.line).toBe(14);
    expect(i.message).toMatch(/bsa_mosteller/);
    expect(i.message).toMatch(/egfr_ckd_epi_2021/);
  });

  it('a derived formula whose input is missing says which input and how to map it', () => {
    const issues = issuesOf(withXY(`derived:\n  - name: bmi\n    formula: bmi\n`));
    // both missing inputs are reported, each at its own path
    expect(issues.map((i) => i.path)).toEqual([
      ['derived', 0, 'inputs', 'weight'],
      ['derived', 0, 'inputs', 'height']
    ]);
    expect(issues.map((i) => i.line)).toEqual([13, 13]);
    expect(issues[0].message).toMatch(/bmi needs input 'weight'.*set inputs.weight/);
  });
});

describe('cohort spec errors: names that become keys', () => {
  it('a derived covariate named like a covariate names both', () => {
    const i = onlyIssue(withXY(`derived:\n  - { name: x, expr: y * 2 }\n`));
    expect(i.path).toEqual(['derived', 0, 'name']);
    expect(i.message).toBe("'x' is used twice; covariate names must be unique");
    expect(i.related).toEqual(['covariates', 1, 'name']);
    expect([i.line, i.relatedLine]).toEqual([13, 6]);
  });

  it('two criteria with the same label (they key the screening funnel)', () => {
    const issues = issuesOf(
      withXY(`criteria:
  - { name: adult, expr: x > 0 }
  - x > 1
  - { name: adult, expr: y > 0 }
  - x > 1
`)
    );
    expect(issues.map((i) => [i.path, i.related, i.line, i.relatedLine])).toEqual([
      [['criteria', 2, 'name'], ['criteria', 0, 'name'], 15, 13],
      [['criteria', 3], ['criteria', 1], 16, 14]
    ]);
    expect(issues[0].message).toBe("'adult' is used twice; criteria must be unique");
  });

  it('a band with two equal labels', () => {
    const i = onlyIssue(
      withXY(`  - { name: xb, type: band, of: x, breaks: [0, 1], labels: [low, mid, low] }\n`)
    );
    expect(i.path).toEqual(['covariates', 3, 'labels', 2]);
    expect(i.message).toBe("'low' is used twice; band labels must be unique");
  });

  it('a variable twice in one correlation block, and one in two blocks', () => {
    const issues = issuesOf(
      withXY(`correlations:
  - { variables: [x, x], matrix: [[1, 0.5], [0.5, 1]] }
  - { variables: [y, x], matrix: [[1, 0.5], [0.5, 1]] }
`)
    );
    expect(issues.map((i) => [i.path, i.related])).toEqual([
      [
        ['correlations', 0, 'variables', 1],
        ['correlations', 0, 'variables', 0]
      ],
      [
        ['correlations', 1, 'variables', 1],
        ['correlations', 0, 'variables', 0]
      ]
    ]);
    expect(issues[0].message).toMatch(/'x' is used twice/);
    expect(issues[1].message).toMatch(/'x' is already in another correlation block/);
  });
});

describe('cohort spec errors: file structure', () => {
  it('an unknown field names the field and lists the allowed fields', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: x
    type: continuous
    unti: cm
    distribution: { kind: normal, mean: 0, sd: 1 }
`);
    expect(i.path).toEqual(['covariates', 0]);
    expect(i.message).toMatch(/unknown field\(s\) 'unti'/);
    // the line of the covariate (3) or, better, of the unknown key (5)
    expect([3, 5]).toContain(i.line);
    // allowed values: the fields a continuous covariate may have
    expect(i.message).toMatch(/unit/);
    expect(i.message).toMatch(/distribution/);
  });

  it('an unknown top-level field', () => {
    const i = onlyIssue(`name: bad
population: 3
covariates:
  - name: x
    type: continuous
    distribution: { kind: normal, mean: 0, sd: 1 }
`);
    expect(i.path).toEqual([]);
    expect(i.message).toMatch(/unknown field\(s\) 'population'/);
  });

  it('a YAML syntax error gives its line', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: x
    type: continuous
    distribution: { kind: normal, mean: 0, sd: 1
  - name: y
`);
    expect(i.path).toEqual([]);
    expect(i.message).toMatch(/^YAML syntax/);
    expect(i.line).toBeGreaterThanOrEqual(5);
    expect(i.line).toBeLessThanOrEqual(6);
  });

  it('a duplicated key names both lines', () => {
    const i = onlyIssue(`name: bad
seed: 1
seed: 2
covariates:
  - { name: x, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
`);
    expect(i.path).toEqual(['seed']);
    expect(i.message).toBe("the key 'seed' is given twice (first on line 2)");
    expect(i.line).toBe(3);
  });

  it('a duplicated key deep in the file is found with its path', () => {
    const i = onlyIssue(`name: bad
covariates:
  - name: x
    type: continuous
    distribution: { kind: normal, mean: 0, sd: 1, mean: 2 }
`);
    expect(i.path).toEqual(['covariates', 0, 'distribution', 'mean']);
    expect(i.line).toBe(5);
  });

  it('a file that is not a mapping', () => {
    const i = onlyIssue(`- just\n- a list\n`);
    expect(i.message).toMatch(/must be a YAML mapping/);
    expect(i.line).toBe(1);
  });

  it('reports every problem at once, not just the first', () => {
    const issues = issuesOf(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.4 }
  - name: x
    type: continuous
    distribution: { kind: uniform, min: 5, max: 1 }
criteria:
  - x > 1 and weight < 3
  - y = 2
`);
    expect(issues.map((i) => i.path)).toEqual([
      ['covariates', 0, 'levels'],
      ['covariates', 1, 'distribution'],
      ['criteria', 0],
      ['criteria', 1]
    ]);
    expect(issues.map((i) => i.line)).toEqual([5, 8, 10, 11]);
  });

  it('reports a non-positive-definite matrix alongside an unrelated earlier problem', () => {
    const issues = issuesOf(`name: bad
covariates:
  - name: sex
    type: categorical
    levels: { F: 0.5, M: 0.4 }
  - { name: a, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
  - { name: b, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
  - { name: c, type: continuous, distribution: { kind: normal, mean: 0, sd: 1 } }
correlations:
  - variables: [a, b, c]
    matrix:
      - [1, 0.9, -0.9]
      - [0.9, 1, 0.9]
      - [-0.9, 0.9, 1]
`);
    expect(issues.map((i) => i.path)).toEqual([
      ['covariates', 0, 'levels'],
      ['correlations', 0, 'matrix']
    ]);
    expect(issues[1].message).toMatch(/not positive definite/);
    expect(issues[1].line).toBe(12);
  });

  it('compileCohort reports the same issues for a spec built in code (no lines)', () => {
    const spec = cohortSpec.parse({
      name: 'code',
      covariates: [{ name: 'x', type: 'continuous', distribution: { kind: 'normal', mean: 0, sd: 1 } }],
      criteria: ['z > 1']
    });
    try {
      compileCohort(spec);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      const [i] = (e as SpecError).issues;
      expect(i.path).toEqual(['criteria', 0]);
      expect(i.line).toBeUndefined();
      expect(i.message).toMatch(/unknown variable 'z' \(known: x\)/);
    }
  });
});
