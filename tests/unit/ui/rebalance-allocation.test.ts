import { describe, expect, it } from 'vitest';
import { rebalanceAllocation } from '../../../src/lib/ui/rebalance-allocation';

// Expected values by hand: a permuted block must hold whole repeats of the ratio, so its
// size is a multiple of the ratio's sum (compile-allocation.ts).
describe('rebalanceAllocation', () => {
  it('drops the arm from the ratio and keeps a block size that still fits', () => {
    // 1:1:1 in blocks of 6 → 1:1, and 6 is a multiple of 2.
    expect(rebalanceAllocation({ ratio: [1, 1, 1], method: 'block', blockSize: 6 }, 3, 0)).toEqual({
      ratio: [1, 1],
      blockSize: 6,
      changes: ['ratio 1:1:1 → 1:1']
    });
  });

  it('scales a block of k whole ratios to k of the new ratio', () => {
    // 1:1:1:1 in blocks of 8 (two repeats) → 1:1:1 in blocks of 6.
    const r = rebalanceAllocation({ ratio: [1, 1, 1, 1], method: 'stratified', blockSize: 8 }, 4, 2);
    expect(r.ratio).toEqual([1, 1, 1]);
    expect(r.blockSize).toBe(6);
    expect(r.changes).toEqual([
      'ratio 1:1:1:1 → 1:1:1',
      "block size 8 → 6 (a multiple of the new ratio's sum 3)"
    ]);
    expect(r.problem).toBeUndefined();
  });

  it('reduces the remaining ratio by its common divisor', () => {
    // 2:2:1 in blocks of 10 → 2:2 = 1:1, and 10 is a multiple of 2.
    expect(rebalanceAllocation({ ratio: [2, 2, 1], blockSize: 10 }, 3, 2)).toEqual({
      ratio: [1, 1],
      blockSize: 10,
      changes: ['ratio 2:2:1 → 1:1']
    });
    // 3:2:1 in blocks of 12 → 3:1 (sum 4), 12 kept.
    expect(rebalanceAllocation({ ratio: [3, 2, 1], blockSize: 12 }, 3, 1).ratio).toEqual([3, 1]);
  });

  it('follows the arms when the protocol gives no ratio', () => {
    // 4 arms 1:1:1:1 implied, blocks of 4 → 3 arms, blocks of 3.
    expect(rebalanceAllocation({ method: 'block', blockSize: 4 }, 4, 3)).toEqual({
      ratio: undefined,
      blockSize: 3,
      changes: ["block size 4 → 3 (a multiple of the new ratio's sum 3)"]
    });
    expect(rebalanceAllocation({ method: 'block' }, 4, 3)).toEqual({
      ratio: undefined,
      blockSize: undefined,
      changes: []
    });
  });

  it('says what to change when the old block size held no whole ratio', () => {
    // 2:1:1:2 (sum 6) in blocks of 7 is already wrong; without the last arm, sum 4.
    const r = rebalanceAllocation({ ratio: [2, 1, 1, 2], blockSize: 7 }, 4, 3);
    expect(r.ratio).toEqual([2, 1, 1]);
    expect(r.blockSize).toBe(7);
    expect(r.problem).toBe("block size 7 is not a multiple of the new ratio's sum 4: set it to 4");
    const s = rebalanceAllocation({ ratio: [1, 1, 1, 1, 1], blockSize: 9 }, 5, 0);
    expect(s.problem).toBe("block size 9 is not a multiple of the new ratio's sum 4: set it to 4 or 8");
    const t = rebalanceAllocation({ ratio: [1, 1, 1, 2], blockSize: 7 }, 4, 3);
    expect(t.problem).toBe("block size 7 is not a multiple of the new ratio's sum 3: set it to 3 or 6");
  });

  it('leaves the block size alone for simple randomisation and minimisation', () => {
    expect(rebalanceAllocation({ ratio: [1, 1, 1], method: 'simple', blockSize: 6 }, 3, 0).blockSize).toBe(6);
    expect(
      rebalanceAllocation({ ratio: [1, 1, 1, 1], method: 'minimisation', blockSize: 8 }, 4, 0).changes
    ).toEqual(['ratio 1:1:1:1 → 1:1:1']);
  });

  it('names an arm that does not exist', () => {
    expect(() => rebalanceAllocation({}, 3, 3)).toThrow('arm 4 does not exist: the protocol has 3 arms');
  });
});
