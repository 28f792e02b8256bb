import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One stack for the whole run: MariaDB pair, memcached, maildev, the API and the site.
    globalSetup: ['test/global-setup.ts'],
    // Two cores, and the failover tests stop services the other files rely on.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // .local/ holds links back to the repository (the API's service folders), tests included.
    exclude: [...configDefaults.exclude, '.local/**', '.esbuild/**', '.serverless/**'],
  },
});
