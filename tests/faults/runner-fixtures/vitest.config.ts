// Fixture suites for tests/faults/test-runner.test.ts: how `npm test` counts each outcome.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['tests/faults/runner-fixtures/*.fixture.ts'] }
});
