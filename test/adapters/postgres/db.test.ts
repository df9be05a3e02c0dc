import { repositoryContract } from '../../repositories/contract.ts';
import { createTestDb } from '../../support/test-db.ts';

// The run's engine: the contract on PostgreSQL in `npm run test:postgres` and
// `test:pglite`, on DynamoDB otherwise (where test/adapters/dynamodb/db.test.ts also runs).
repositoryContract('the run’s engine through the test harness', async () => {
  const t = await createTestDb(import.meta.url);
  return { db: t.db, plant: t.plant, destroy: t.destroy };
});
