// Test runner settings: node environment, generous timeouts only for the end-to-end suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'infra/**/*.test.ts'],
    // Hang guards, not speed limits: CI shares two cores with other work, and a fuzz property runs thousands of cases.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
