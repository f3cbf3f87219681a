// A suite of every outcome: 1 passed, 1 failed, 3 skipped, 1 todo.
import { describe, expect, it } from 'vitest';

describe('every outcome', () => {
  it('passes', () => expect(1).toBe(1));
  it('fails', () => expect(1).toBe(2));
  it.skip('is skipped', () => {});
  it.todo('is a todo');
  describe.skipIf(true)('is skipped as a group', () => {
    it('a', () => {});
    it('b', () => {});
  });
});
