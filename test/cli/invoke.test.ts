import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmsEnv } from '../support/cli.ts';
import { randomOrganisation, storeOrganisation } from '../support/organisation.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await storeOrganisation(t.db, randomOrganisation(3));
  dir = await mkdtemp(join(tmpdir(), 'lms-invoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.destroy();
});

const lms = (...args: string[]) => lmsAt('info', ...args);
const lmsAt = (logLevel: string, ...args: string[]) =>
  promisify(execFile)(process.execPath, ['bin/lms.mjs', ...args], {
    env: { ...lmsEnv(t.env), LOG_LEVEL: logLevel },
  });

describe('lms invoke', () => {
  it('prints the handler result as JSON on stdout and its logs on stderr', async () => {
    const { stdout, stderr } = await lms(
      'invoke',
      'calc_class_stats',
      '--event',
      '{"dry_run":true}',
    );
    const result = JSON.parse(stdout) as { job: string; dry_run: boolean; scanned: number };
    expect(result).toMatchObject({ job: 'calc_class_stats', dry_run: true });
    expect(result.scanned).toBeGreaterThan(0);
    expect(stderr).toContain('"message": "calc_class_stats run"');
    expect((await t.db.classes.find({ code: 'c-0' }))?.stats).toBeUndefined();
  });

  it('reads the event from a file', async () => {
    const file = join(dir, 'event.json');
    await writeFile(file, JSON.stringify({ dry_run: false }));
    const { stdout } = await lms('invoke', 'calc_class_stats', '--event', file);
    expect(JSON.parse(stdout)).toMatchObject({ dry_run: false });
    expect((await t.db.classes.find({ code: 'c-0' }))?.stats).toBeDefined();
  });

  it('fails with exit code 2 for an unknown function and with 1 when the handler fails', async () => {
    await expect(lms('invoke', 'no_such_function')).rejects.toMatchObject({ code: 2 });
    const failure = await lms('invoke', 'calc_class_stats', '--event', '{"dry_run":"yes"}').catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect(String((failure as { stderr: string }).stderr)).toContain('INVALID_EVENT');
  });

  it('keeps the metrics off stdout: at debug they are logged on stderr', async () => {
    const { stdout, stderr } = await lmsAt(
      'debug',
      'invoke',
      'calc_class_stats',
      '--event',
      '{"dry_run":true}',
    );
    expect(JSON.parse(stdout)).toMatchObject({ job: 'calc_class_stats' });
    expect(stdout).not.toContain('_aws');
    expect(stderr).toContain('"message": "metrics"');
    expect(stderr).toContain('"RecordsProcessed"');
  });
});
