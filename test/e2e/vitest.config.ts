import { defineConfig } from 'vitest/config';

// Real browsers: one file at a time (2-core CI), long timeouts for real calls.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
