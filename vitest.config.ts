import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One engine for the whole run (dynalite by default, LMS_TEST_ENGINE=dynamodb-local for
    // AWS's emulator, DYNAMODB_ENDPOINT for an external one); each test file isolates its
    // tables with its own prefix.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
