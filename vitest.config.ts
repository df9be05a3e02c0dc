import { defineConfig } from 'vitest/config';
import {
  DYNAMODB_ONLY_TESTS,
  ENGINE_INDEPENDENT_TESTS,
} from './test/support/engine-independent.ts';

const engine = process.env.LMS_TEST_ENGINE;
const onDynamoDbLocal = engine === 'dynamodb-local';
const onPostgres = engine === 'postgres' || engine === 'pglite';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that never talk to the run's engine (pure logic, the CDK app, cdk-nag) would
    // prove nothing new on the second engine: CI's DynamoDB Local run leaves them out, and
    // test/support/engine-independent.test.ts keeps the list honest.
    // A PostgreSQL run leaves out the tests of DynamoDB itself as well.
    exclude: onPostgres
      ? [...ENGINE_INDEPENDENT_TESTS, ...DYNAMODB_ONLY_TESTS]
      : onDynamoDbLocal
        ? [...ENGINE_INDEPENDENT_TESTS]
        : [],
    // One engine for the whole run (dynalite by default, LMS_TEST_ENGINE=dynamodb-local for
    // AWS's emulator, postgres for Debian's PostgreSQL server, pglite for the embedded one,
    // DYNAMODB_ENDPOINT or DATABASE_URL for an external one); each test file isolates its
    // tables with its own prefix (a schema of its own on PostgreSQL).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests run on Node 20; the SDK's notice that it will need Node 22 (as Lambda has) is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
