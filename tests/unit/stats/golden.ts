// Loads the R-generated fixtures of tests/golden/<folder> (stats by default) and compares numbers
// with a relative tolerance.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const goldenDir = fileURLToPath(new URL('../../golden/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadGolden(name: string, folder = 'stats'): any {
  return JSON.parse(readFileSync(`${goldenDir}${folder}/${name}.json`, 'utf8'));
}

/** |actual − expected| ≤ rel·|expected| + abs; null must match null (R's NA/Inf). */
export function expectClose(
  actual: number | null,
  expected: number | null,
  rel = 1e-6,
  abs = 1e-300,
  label = ''
): void {
  if (expected === null) {
    expect(actual, `${label}: expected null`).toBeNull();
    return;
  }
  expect(actual, `${label}: got null, expected ${expected}`).not.toBeNull();
  const a = actual as number;
  const tol = rel * Math.abs(expected) + abs;
  if (!(Math.abs(a - expected) <= tol)) {
    expect.fail(`${label}: ${a} vs R ${expected} (diff ${Math.abs(a - expected)}, tol ${tol})`);
  }
}

/** Element-wise expectClose on arrays of equal length. */
export function expectAllClose(
  actual: ReadonlyArray<number | null>,
  expected: ReadonlyArray<number | null>,
  rel = 1e-6,
  abs = 1e-300,
  label = ''
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], rel, abs, `${label}[${i}]`);
}
