import { describe, expect, it } from 'vitest';
import { isEngineKind } from '../../../src/local/aws/engines/engine.ts';
import {
  createPostgresEngine,
  isPostgresEngineKind,
  PgliteEngine,
  POSTGRES_ENGINE_KINDS,
  PostgresServerEngine,
} from '../../../src/local/postgres/index.ts';

describe('the PostgreSQL engine kinds', () => {
  it('are pglite and postgres, apart from the DynamoDB kinds', () => {
    expect(POSTGRES_ENGINE_KINDS).toEqual(['pglite', 'postgres']);
    for (const kind of POSTGRES_ENGINE_KINDS) {
      expect(isPostgresEngineKind(kind)).toBe(true);
      expect(isEngineKind(kind)).toBe(false);
    }
    for (const other of ['dynalite', 'dynamodb-local', 'external', '', undefined, 5]) {
      expect(isPostgresEngineKind(other)).toBe(false);
    }
  });

  it('build the engine their kind names, idle', () => {
    const pglite = createPostgresEngine({ kind: 'pglite', path: '.data/pglite' });
    expect(pglite).toBeInstanceOf(PgliteEngine);
    const server = createPostgresEngine({ kind: 'postgres', unsafeNoFsync: true });
    expect(server).toBeInstanceOf(PostgresServerEngine);
    for (const engine of [pglite, server]) {
      expect(engine.pid).toBeUndefined();
      expect(() => engine.databaseUrl).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
    }
  });

  it('reject options no engine can use', () => {
    expect(() => createPostgresEngine({ kind: 'postgres', port: -1 })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
    expect(() => createPostgresEngine({ kind: 'pglite', maxConnections: 0 })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
  });
});
