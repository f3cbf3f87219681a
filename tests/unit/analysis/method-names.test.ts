import { describe, expect, it } from 'vitest';
import { estimandName, methodName } from '../../../src/lib/analysis/compare-method-names';
import { primaryMethodFor } from '../../../src/lib/analysis/replicate-analysis';

describe('readable names', () => {
  it("names every power study's primary method and every estimand strategy", () => {
    expect(['continuous', 'responder', 'tte'].map((t) => methodName(primaryMethodFor(t)))).toEqual([
      'Welch t-test',
      'Chi-square',
      'Log-rank'
    ]);
    expect(['treatment_policy', 'hypothetical', 'while_on_treatment', 'composite'].map(estimandName)).toEqual(
      ['Treatment policy', 'Hypothetical (no discontinuation or rescue)', 'While on treatment', 'Composite']
    );
  });

  it('shows a code it does not know as it is', () => {
    expect(methodName('new_test')).toBe('new_test');
    expect(estimandName('principal_stratum')).toBe('principal_stratum');
  });
});
