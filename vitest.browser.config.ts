import { defineConfig } from 'vitest/config';

/** Tests in a real headless Chromium (Debian's `chromium`, driven by playwright-core): `npm run test:browser`. */
export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
