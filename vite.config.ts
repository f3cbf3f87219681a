import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/golden/**/*.test.ts',
      'tests/faults/**/*.test.ts'
    ],
    environment: 'node',
    setupFiles: ['tests/setup/fast-check.ts'],
    testTimeout: 60_000,
    pool: 'forks'
  }
});
