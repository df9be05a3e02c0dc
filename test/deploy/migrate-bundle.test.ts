/**
 * The migration function as a PostgreSQL stage deploys it: its esbuild bundle (the stack's
 * settings, `pg` and the signer inside), loaded as Lambda loads it, run against a real
 * PostgreSQL (an in-process PGlite). The first run applies every migration, the second
 * (the next deploy) applies none: what the deploy's trigger relies on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, MIGRATIONS_ENTRY, PROJECT_ROOT } from '../../infra/bundling.ts';
import { MIGRATIONS } from '../../src/adapters/postgres/migrations.ts';
import type { MigrateResult } from '../../src/deploy/migrate-database/handler.ts';
import { createPostgresEngine, type LocalPostgresEngine } from '../../src/local/postgres/index.ts';

const PREFIX = 'migrate-bundle-';
// Inside the project, so the bundle's external `@aws-sdk/*` imports resolve from
// node_modules, as they resolve from the runtime on Lambda.
mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'test-migrate-'));
let engine: LocalPostgresEngine | undefined;
let handle: () => Promise<MigrateResult>;
const saved = { ...process.env };

beforeAll(async () => {
  engine = createPostgresEngine({ kind: 'pglite' });
  await engine.start();
  const result = await build(esbuildOptions(MIGRATIONS_ENTRY, 'postgres'));
  for (const file of result.outputFiles) {
    writeFileSync(
      join(outdir, file.path.endsWith('.map') ? 'index.mjs.map' : 'index.mjs'),
      file.contents,
    );
  }
  // The function reads its configuration when Lambda loads it.
  Object.assign(process.env, {
    DATABASE_URL: engine.databaseUrl,
    LMS_TABLE_PREFIX: PREFIX,
    LOG_LEVEL: 'error',
  });
  ({ handle } = (await import(pathToFileURL(join(outdir, 'index.mjs')).href)) as {
    handle: () => Promise<MigrateResult>;
  });
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await engine?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

describe('the deployed migrate_database bundle', () => {
  it('applies every migration on the first deploy, none on the next', async () => {
    const first = await handle();
    expect(first.applied).toEqual(
      MIGRATIONS.map((migration) => `${String(migration.id).padStart(3, '0')} ${migration.name}`),
    );
    expect(first.created).toContain(`"${PREFIX}"."students"`);
    expect(first.location).not.toMatch(/:[^/@]+@/);
    const second = await handle();
    expect(second).toMatchObject({ applied: [], created: [] });
  });
});
