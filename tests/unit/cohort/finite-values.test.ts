import { describe, expect, it } from 'vitest';
import {
  checkFirstTwins,
  CohortGenerationError,
  compileCohort,
  generateCohortChunk,
  takeImportedRows
} from '../../../src/lib/engine/cohort';
import { cohortSpec, type CohortSpecInput } from '../../../src/lib/spec/cohort-schema';

/** A twin's covariates are finite numbers: the error names the covariate, twin and inputs. */

const base: CohortSpecInput = {
  name: 'finite',
  n: 10,
  covariates: [
    { name: 'sex', type: 'categorical', levels: { F: 0.5, M: 0.5 } },
    { name: 'weight', type: 'continuous', distribution: { kind: 'normal', mean: 70, sd: 10 } },
    { name: 'zero', type: 'continuous', distribution: { kind: 'uniform', min: 0, max: 1e-300 } }
  ]
};
const plan = (derived: CohortSpecInput['derived'], more: Partial<CohortSpecInput> = {}) =>
  compileCohort(cohortSpec.parse({ ...base, derived, ...more }));

function errorOf(f: () => unknown): CohortGenerationError {
  try {
    f();
  } catch (e) {
    if (e instanceof CohortGenerationError) return e;
    throw e;
  }
  throw new Error('expected a CohortGenerationError');
}

describe('values that are not finite', () => {
  it('a named formula names its inputs by their covariates (a level by its name)', () => {
    const p = plan([{ name: 'bmi', formula: 'bmi', inputs: { height: 'zero' } }]);
    const e = errorOf(() => generateCohortChunk(p, 1, 1, 5));
    expect(e.twinId).toBe(1);
    expect(e.message).toMatch(
      /^twin 1: derived covariate 'bmi' is Infinity \(from weight = [\d.]+, zero = [\d.e-]+\)/
    );
  });

  it('a categorical input is shown by its level', () => {
    const p = plan([{ name: 'r', expr: 'weight / (sex == "F")' }]);
    const e = errorOf(() => checkFirstTwins(p, 1, 10));
    expect(e.message).toMatch(/derived covariate 'r' is Infinity \(from weight = [\d.]+, sex = 'M'\)/);
  });

  it('a criterion can exclude the twins for which an expression is undefined', () => {
    const p = plan([{ name: 'l', expr: 'log(weight - 60)' }], { criteria: ['weight > 60'] });
    const chunk = generateCohortChunk(p, 1, 1, 200);
    expect(chunk.columns[3].every(Number.isFinite)).toBe(true);
    expect(chunk.screened).toBeGreaterThan(200);
  });

  it('imported rows taken as they are: the row is named as the twin', () => {
    const p = compileCohort(
      cohortSpec.parse({
        name: 'imp',
        n: 3,
        import: { file: 'x.csv' },
        derived: [{ name: 'inv', expr: '1 / w' }]
      }),
      {
        rows: 3,
        columns: [{ name: 'w', values: Float64Array.from([2, 4, 0]) }]
      }
    );
    expect(() => takeImportedRows(p, 2)).not.toThrow();
    expect(errorOf(() => takeImportedRows(p, 3)).message).toMatch(
      /^twin 3: derived covariate 'inv' is Infinity \(from w = 0\)/
    );
  });
});
