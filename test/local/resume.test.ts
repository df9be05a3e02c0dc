import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDynamo } from '../../src/adapters/dynamodb/connect.ts';
import { loadConfig } from '../../src/config/config.ts';
import { signDevToken, withLocalIdClaim } from '../../src/local/aws/auth/tokens.ts';
import { StackInUseError } from '../../src/local/claim.ts';
import { findDemoIdentities } from '../../src/local/demo-identities.ts';
import {
  type RunningStack,
  StartInterruptedError,
  type StartOptions,
  startLocalStack,
} from '../../src/local/start.ts';
import { readSeedRecord, SeedStatus } from '../../src/seed/resumable.ts';
import { uniquePrefix } from '../support/test-db.ts';

const engine = inject('dynamodbEngine') === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';
const dataDir = mkdtempSync(join(tmpdir(), 'lms-resume-'));
const prefix = uniquePrefix(import.meta.url);
const started: RunningStack[] = [];

const options = (log: string[], signal?: AbortSignal): StartOptions => ({
  config: loadConfig(withLocalIdClaim({ LMS_TABLE_PREFIX: prefix, LOG_LEVEL: 'error' })),
  engine,
  inMemory: false,
  dataDir,
  port: 0,
  dbPort: 0,
  schedule: false,
  seed: { size: 'small', seed: 3 },
  log: (line) => log.push(line),
  ...(signal === undefined ? {} : { signal }),
});

afterAll(async () => {
  for (const stack of started) await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a start interrupted while seeding', () => {
  it('stops what started, in reverse, and says so', async () => {
    const log: string[] = [];
    const interrupt = new AbortController();
    // Ctrl-C once the organisation is written and the answers are not.
    const abortAfterStudents = (line: string) => {
      log.push(line);
      if (/^demo data: students \d+$/.test(line)) interrupt.abort(new Error('SIGINT'));
    };
    // The seed says each table it has written at debug (info has its start and its end).
    const start = startLocalStack({
      ...options(log, interrupt.signal),
      log: abortAfterStudents,
      debug: abortAfterStudents,
    });
    await expect(start).rejects.toBeInstanceOf(StartInterruptedError);
    expect(log).toContain('demo data interrupted; stopping what started, in reverse');
    const stops = log.filter((line) => line.endsWith(' stopped'));
    // The demo data did not start, so it has nothing to stop.
    expect(stops).toEqual([
      'job runs stopped',
      'tables stopped',
      `DynamoDB (${engine}) stopped`,
      'data folder and ports stopped',
    ]);
    expect(log.some((line) => line.startsWith('demo data: answers'))).toBe(false);
  });

  it('is finished by the next start: the rest of the seed, then the jobs', async () => {
    const log: string[] = [];
    const stack = await startLocalStack(options(log));
    started.push(stack);
    expect(stack.seeded).toBe(true);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^demo data: the seed small #3 up to .* was interrupted \(writing\); finishing it$/,
      ),
    );
    const connection = connectDynamo({
      dynamodbEndpoint: stack.dynamodbEndpoint,
      awsRegion: 'local',
      tablePrefix: prefix,
    });
    const record = await readSeedRecord(connection.db);
    const demo = await findDemoIdentities(connection.db);
    connection.close();
    expect(record?.seed_status).toBe(SeedStatus.Done);
    // The banner's parent curl: the summary exists, so the jobs ran after the seed.
    const token = await signDevToken(stack.keys, { id: demo.parentId ?? '', role: 'parent' });
    const response = await fetch(`${stack.apiUrl}/parents/${demo.parentId}/summary`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ children: [expect.anything()] });
    // A persisted DynamoDB Local writes slowly (SQLite on disk): the seed and three jobs.
  }, 400_000);

  it('refuses a second stack on the same data folder before any work, naming the pid', async () => {
    const log: string[] = [];
    const second = startLocalStack(options(log));
    await expect(second).rejects.toBeInstanceOf(StackInUseError);
    await expect(second).rejects.toThrow(
      new RegExp(`is in use by another lms start \\(pid ${process.pid}, since `),
    );
    expect(log).toEqual(['data folder and ports failed to start; stopping what started']);
  });

  it('refuses a port in use before any work (an in-memory stack too), naming who holds it', async () => {
    const [running] = started;
    if (running === undefined) throw new Error('the resumed stack did not start');
    const port = Number(new URL(running.apiUrl).port);
    const log: string[] = [];
    const second = startLocalStack({ ...options(log), inMemory: true, port });
    await expect(second).rejects.toThrow(
      new RegExp(`port ${port} for the HTTP API \\(--port\\) is in use by pid ${process.pid} `),
    );
    expect(log).toEqual(['data folder and ports failed to start; stopping what started']);
  });

  it('does not seed again once the seed is done', async () => {
    const [running] = started;
    await running?.stop();
    started.length = 0;
    const log: string[] = [];
    const stack = await startLocalStack(options(log));
    started.push(stack);
    expect(stack.seeded).toBe(false);
    expect(log.some((line) => line.startsWith('demo data:'))).toBe(false);
  }, 120_000);
});
