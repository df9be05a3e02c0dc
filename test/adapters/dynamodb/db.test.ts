import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { physicalName, tables } from '../../../src/tables/definitions.ts';
import { repositoryContract } from '../../repositories/contract.ts';
import { createTestDb } from '../../support/test-db.ts';

repositoryContract('DynamoDB', async () => {
  const t = await createTestDb(import.meta.url);
  return {
    db: t.db,
    plant: async (table, item) => {
      await t.doc.send(
        new PutCommand({ TableName: physicalName(t.prefix, tables[table]), Item: item }),
      );
    },
    destroy: t.destroy,
  };
});
