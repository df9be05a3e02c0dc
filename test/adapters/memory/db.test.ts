import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { repositoryContract } from '../../repositories/contract.ts';

repositoryContract('in-memory', async () => {
  const memory = createMemoryDb();
  return {
    db: memory.db,
    plant: async (table, item) => memory.plant(table, item),
    destroy: async () => {},
  };
});
