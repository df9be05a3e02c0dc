/**
 * Test files that never reach the run's DynamoDB engine: pure logic, the CDK app and
 * cdk-nag, the catalogue, the OpenAPI document's shape, the PostgreSQL fault proxy's tests
 * (they start an in-process PGlite), and the engine lifecycle tests, which
 * start each engine themselves (dynalite's and DynamoDB Local's own files run whatever the
 * run's engine is; the PostgreSQL engines' files start theirs and never reach DynamoDB). They give the same answer whichever engine the run started, so `npm run test:dynamodb-local` leaves them out (vitest.config.ts)
 * and `npm test` runs them. A file that starts to use the engine must leave this list;
 * `engine-independent.test.ts` fails until it does.
 */
export const ENGINE_INDEPENDENT_TESTS = [
  'test/domain/**',
  'test/lib/**',
  'test/local/aws/engines/**',
  'test/local/postgres/index.test.ts',
  'test/local/database.test.ts',
  'test/local/postgres/pglite.test.ts',
  'test/local/postgres/postgres-server.test.ts',
  'test/catalog/**',
  'test/seed/forgetting.test.ts',
  'test/seed/simulated.test.ts',
  'test/bench/**',
  'test/console/days.test.ts',
  'test/console/recall.test.ts',
  'test/services/review/state-size.test.ts',
  'test/console/endpoints.test.ts',
  'test/console/schemas.test.ts',
  'test/entities/common.test.ts',
  'test/openapi/document.test.ts',
  'test/local/console/assets.test.ts',
  'test/local/server/**',
  'test/local/aws/gateway/**',
  'test/infra/alarms.test.ts',
  'test/infra/bundle-contents.test.ts',
  'test/infra/bundling.test.ts',
  'test/infra/cognito.test.ts',
  'test/infra/functions.test.ts',
  'test/infra/nag.test.ts',
  'test/infra/postgres.test.ts',
  'test/infra/settings.test.ts',
  'test/infra/tables.test.ts',
  'test/infra/triggers.test.ts',
  'test/infra/workflows.test.ts',
  'test/support/pg-fault-proxy.test.ts',
  'test/support/faulty-db.test.ts',
  'test/adapters/postgres/statements.test.ts',
  'test/adapters/postgres/migrations.test.ts',
  'test/adapters/postgres/repository.test.ts',
  'test/adapters/postgres/transfer-store.test.ts',
  'test/adapters/postgres/pg.test.ts',
  'test/adapters/postgres/admin.test.ts',
  'test/adapters/postgres/iam-auth.test.ts',
  // The deploy's migrations: a stub admin, and the bundle over a PGlite of its own.
  'test/deploy/**',
] as const;

/**
 * Test files about DynamoDB itself: its adapter (requests, DynamoDB JSON, special keys, the
 * request metrics), the HTTP fault proxy in front of it. A PostgreSQL run
 * (`npm run test:postgres`) leaves them out, as it leaves out the engine-independent files:
 * the PostgreSQL adapter's own tests (`test/adapters/postgres/`) stand where they stand.
 */
export const DYNAMODB_ONLY_TESTS = [
  'test/adapters/dynamodb/**',
  'test/support/fault-proxy.test.ts',
  // Export and import through the DynamoDB store (its clients, with faults injected);
  // test/cli/export-import.test.ts runs the commands on either engine.
  'test/ops/transfer/export-import.test.ts',
  // DynamoDB → PostgreSQL (a PGlite of its own) → DynamoDB: it needs DynamoDB at both ends.
  'test/ops/transfer/postgres-round-trip.test.ts',
] as const;
