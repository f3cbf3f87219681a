import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../../src/lib/stats/exactSum';
import cases from './fsum.json';

/** Expected sums from Python's math.fsum (make-fixture.py beside this file). */
describe('ExactSum against math.fsum', () => {
  for (const c of cases) {
    const terms = c.terms.map(Number);
    it(`${c.name}: the correctly rounded sum of ${terms.length} terms`, () => {
      const s = new ExactSum();
      for (const x of terms) s.add(x);
      expect(Object.is(s.value(), Number(c.fsum))).toBe(true);
    });

    it(`${c.name}: the same bits from any split into parts, in any order`, () => {
      for (const parts of [2, 3, 7]) {
        const total = new ExactSum();
        const size = Math.ceil(terms.length / parts);
        const sums = [];
        for (let first = 0; first < terms.length; first += size) {
          const part = new ExactSum();
          for (const x of terms.slice(first, first + size).reverse()) part.add(x);
          // through JSON, as a shard's manifest carries it
          sums.push(JSON.parse(JSON.stringify(part.state())));
        }
        for (const s of sums.reverse()) total.addSum(s);
        expect(Object.is(total.value(), Number(c.fsum))).toBe(true);
      }
    });
  }

  it('keeps non-finite terms: NaN wins, infinities add as IEEE says', () => {
    const s = new ExactSum();
    s.add(1);
    s.add(Infinity);
    expect(s.value()).toBe(Infinity);
    s.add(NaN);
    expect(s.value()).toBeNaN();
    expect(new ExactSum().value()).toBe(0);
  });

  it('the naive sum differs where the fixture says it does (the test can fail)', () => {
    const c = cases.find((x) => x.name === 'cancellation')!;
    let naive = 0;
    for (const x of c.terms.map(Number)) naive += x;
    expect(naive).toBe(Number(c.naive));
    expect(naive).not.toBe(Number(c.fsum));
  });
});
