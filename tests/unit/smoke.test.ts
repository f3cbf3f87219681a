import { describe, expect, it } from 'vitest';
import jStat from 'jstat';

describe('toolchain', () => {
  it('loads jstat under Node ESM', () => {
    expect(jStat.normal.cdf(1.959963984540054, 0, 1)).toBeCloseTo(0.975, 12);
  });
});
