import { defineConfig } from 'vitest/config';

// Pure rules only (npm run test:unit): nothing boots, each file runs in milliseconds.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
  },
});
