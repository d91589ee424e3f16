import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the real app and a sample storefront page in Debian's Chromium
 * (`apt-get install chromium`), driven by playwright-core. Run with `npm run test:browser`.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    // Dashboard test files share one seeded shop, server and browser (test/browser/dashboard-harness.ts).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 1_200_000,
  },
});
