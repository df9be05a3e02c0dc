import { describe, expect, it } from 'vitest';
import { stackDatabase } from '../../src/local/database.ts';

const options = { engine: 'pglite', port: 0, dataDir: undefined } as const;

describe("the local stack's database", () => {
  it('is the external PostgreSQL DATABASE_URL names, whatever --engine says, its password kept out of the banner', () => {
    const url = 'postgres://lms:secret@127.0.0.1:1/lms';
    const database = stackDatabase({ databaseUrl: url, dynamodbEndpoint: undefined }, options);
    expect(database).toMatchObject({ family: 'postgres', kind: 'external', claimsPort: undefined });
    expect(database.location()).not.toContain('secret');
    expect(database.variable()).toEqual({ name: 'DATABASE_URL', value: url });
    expect(database.settings()).toEqual({ databaseUrl: url, dynamodbEndpoint: undefined });
  });

  it('an external PostgreSQL that does not answer fails the start, saying how to run an engine instead', async () => {
    const database = stackDatabase(
      { databaseUrl: 'postgres://lms:secret@127.0.0.1:1/lms', dynamodbEndpoint: undefined },
      options,
    );
    const failure = database.start();
    await expect(failure).rejects.toMatchObject({ code: 'ENGINE_START_FAILED' });
    await expect(failure).rejects.toThrow(/DATABASE_URL is set .*`unset DATABASE_URL`/);
    await expect(failure).rejects.not.toThrow(/secret/);
    await database.stop();
  }, 20_000);

  it('is the engine --engine names otherwise, claiming its port, in <data>/<engine>', () => {
    const config = { databaseUrl: undefined, dynamodbEndpoint: undefined };
    expect(stackDatabase(config, { ...options, port: 54320 })).toMatchObject({
      family: 'postgres',
      kind: 'pglite',
      claimsPort: 54320,
    });
    expect(stackDatabase(config, { engine: 'postgres', port: 0, dataDir: '.data' })).toMatchObject({
      family: 'postgres',
      kind: 'postgres',
    });
    expect(
      stackDatabase(config, { engine: 'dynalite', port: 8000, dataDir: undefined }),
    ).toMatchObject({ family: 'dynamodb', kind: 'dynalite', claimsPort: 8000 });
  });
});
