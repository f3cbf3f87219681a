// A test that passes but leaves an unhandled rejection behind: vitest exits 1.
import { expect, it } from 'vitest';

it('passes', async () => {
  setTimeout(() => void Promise.reject(new Error('rejected after the test')), 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(true).toBe(true);
});
