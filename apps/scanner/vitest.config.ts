import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The check-in logic under src/core is framework-free: plain Node runs it (WebCrypto, no DOM).
    environment: 'node',
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
