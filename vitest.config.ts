// Test runner settings: node environment, generous timeouts only for the end-to-end suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'infra/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
