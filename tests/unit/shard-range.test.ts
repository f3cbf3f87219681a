import { describe, expect, it } from 'vitest';
import { parseShard, ShardError, shardPart } from '../../src/lib/node/shard/shard-range';

describe('parseShard', () => {
  it('reads i/n', () => expect(parseShard('2/8', {})).toEqual({ index: 2, count: 8 }));

  it('takes auto from the array-job engines: Slurm as declared, Kubernetes and AWS Batch from 0', () => {
    expect(parseShard('auto/4', { SLURM_ARRAY_TASK_ID: '3' })).toEqual({ index: 3, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: '3' })).toEqual({ index: 4, count: 4 });
  });

  it('refuses what is not a shard, naming the allowed values', () => {
    const refused = (text: string, env = {}) => {
      try {
        parseShard(text, env);
      } catch (e) {
        expect(e).toBeInstanceOf(ShardError);
        return (e as Error).message;
      }
      throw new Error(`${text} accepted`);
    };
    expect(refused('5/4')).toMatch(/shard 5 is outside 1…4/);
    expect(refused('0/4')).toMatch(/shard 0 is outside 1…4 \(shards count from 1\)/);
    expect(refused('1/0')).toMatch(/n must be a whole number from 1/);
    expect(refused('one/4')).toMatch(/not i\/n or auto\/n/);
    expect(refused('auto/4')).toMatch(
      /none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set/
    );
    expect(refused('auto/4', { SLURM_ARRAY_TASK_ID: '0' })).toMatch(
      /gives shard 0, outside 1…4 \(declare the array as --array=1-4\)/
    );
    expect(refused('auto/4', { JOB_COMPLETION_INDEX: '4' })).toMatch(/gives shard 5, outside 1…4/);
  });
});

describe('shardPart', () => {
  it('covers every unit exactly once, in contiguous parts that differ by one at most', () => {
    for (const [total, count] of [
      [10, 3],
      [1000, 7],
      [5, 5],
      [1_000_000, 4]
    ]) {
      let next = 1;
      const sizes = [];
      for (let index = 1; index <= count; index++) {
        const p = shardPart(total, { index, count }, 1);
        expect(p.first).toBe(next);
        next += p.count;
        sizes.push(p.count);
      }
      expect(next).toBe(total + 1);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardPart(10, { index: 1, count: 3 }, 0)).toEqual({ first: 0, count: 4 });
  });

  it('refuses more shards than units', () => {
    expect(() => shardPart(3, { index: 1, count: 4 }, 1)).toThrow(/4 shards is more than the 3 twins/);
  });
});
