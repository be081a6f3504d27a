import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // Browser tests need Chromium, which a newcomer's machine may not have: npm run test:browser.
    exclude: ['test/browser/**', 'node_modules/**'],
    // One API process per server a test starts (npm start would run one per core); the cluster has tests of its own.
    env: { WEB_CONCURRENCY: '1' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets a database of its own, so files run in parallel; two workers match the machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
