/**
 * The deploy-time migration handler: it reports what `createMissing` did, closes its
 * connection whatever happens, and fails (so the deploy fails) when the migrations do.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { createMigrateHandler } from '../../src/deploy/migrate-database/handler.ts';
import type { TableAdmin, TableChange } from '../../src/repositories/admin.ts';

const adminOf = (createMissing: () => Promise<TableChange[]>) => {
  const state = { closed: 0 };
  const admin: TableAdmin = {
    location: 'postgres://lms_admin@proxy.example:5432/lms',
    createMissing,
    describe: async () => [],
    listAll: async () => [],
    readClock: async () => undefined,
  };
  return {
    state,
    open: () => ({
      admin,
      close: async () => {
        state.closed++;
      },
    }),
  };
};

// Silent: the failure below logs its error, as it should, and the run's output stays clean.
const logger = new Logger({ serviceName: 'migrate_database', logLevel: 'SILENT' });

describe('migrate_database', () => {
  it('returns the migrations applied and the tables created, and closes', async () => {
    const { state, open } = adminOf(async () => [
      { table: '"dev-".students', action: 'created' },
      { table: '"dev-".jobs', action: 'exists' },
      { table: 'dev-', action: 'migrated', migration: '001 initial tables' },
    ]);
    expect(await createMigrateHandler(open, logger)()).toEqual({
      location: 'postgres://lms_admin@proxy.example:5432/lms',
      applied: ['001 initial tables'],
      created: ['"dev-".students'],
    });
    expect(state.closed).toBe(1);
  });

  it('an up-to-date database: nothing applied', async () => {
    const { open } = adminOf(async () => [{ table: '"dev-".jobs', action: 'exists' }]);
    expect(await createMigrateHandler(open, logger)()).toMatchObject({ applied: [], created: [] });
  });

  it('a failed migration fails the invocation (and the deploy), the connection closed', async () => {
    const { state, open } = adminOf(async () => {
      throw new Error('permission denied for schema public');
    });
    await expect(createMigrateHandler(open, logger)()).rejects.toThrow(/permission denied/);
    expect(state.closed).toBe(1);
  });
});
