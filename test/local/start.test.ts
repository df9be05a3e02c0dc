import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDynamo } from '../../src/adapters/dynamodb/connect.ts';
import { CatalogueMismatchError, FUNCTION_FILES } from '../../src/catalog/function-folders.ts';
import { functionNames } from '../../src/catalog/functions.ts';
import { loadConfig } from '../../src/config/config.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_ALGORITHM } from '../../src/local/aws/auth/dev-keys.ts';
import { signDevToken, withLocalIdClaim } from '../../src/local/aws/auth/tokens.ts';
import { isProcessAlive } from '../../src/local/aws/engines/index.ts';
import { findDemoIdentities } from '../../src/local/demo-identities.ts';
import { MAX_PAYLOAD_BYTES } from '../../src/local/server/http.ts';
import { type RunningStack, startLocalStack } from '../../src/local/start.ts';
import { openApiDocument } from '../../src/openapi/document.ts';
import { uniquePrefix } from '../support/test-db.ts';

const engine = inject('dynamodbEngine') === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';
let stack: RunningStack;
const logs: string[] = [];
const debugLogs: string[] = [];
const prefix = uniquePrefix(import.meta.url);

/** Its own engine, as `npm start` would have: not the test run's shared one. */
const options = {
  // As `lms start` configures it: the LMS id in cognito:username (withLocalIdClaim).
  config: loadConfig(withLocalIdClaim({ LMS_TABLE_PREFIX: prefix, LOG_LEVEL: 'error' })),
  engine,
  inMemory: true,
  dataDir: '.data-test-unused',
  port: 0,
  dbPort: 0,
  schedule: false,
} as const;

beforeAll(async () => {
  stack = await startLocalStack({
    ...options,
    seed: { size: 'small', seed: 4 },
    log: (line) => logs.push(line),
    debug: (line) => debugLogs.push(line),
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const db = () =>
  connectDynamo({
    dynamodbEndpoint: stack.dynamodbEndpoint,
    awsRegion: 'local',
    tablePrefix: prefix,
  });

/** A POST as /_jobs takes it: JSON, here without a body (the schedule's own event). */
const postJson = { method: 'POST', headers: { 'content-type': 'application/json' } } as const;

describe('the local stack (lms start)', () => {
  it('boots with demo data and answers a token-authenticated module_results request', async () => {
    expect(stack.seeded).toBe(true);
    // One line per step and per job run; the seed's tables and the shards are detail.
    expect(logs.filter((line) => line.startsWith('job '))).toEqual([
      expect.stringMatching(/^job calc_all_stats: /),
      expect.stringMatching(/^job aggregate_students \(full, /),
      expect.stringMatching(/^job aggregate_parents \(full, /),
    ]);
    expect(logs.filter((line) => line.startsWith('demo data:'))).toHaveLength(2);
    expect(
      debugLogs.some((line) => /^job aggregate_students: \d+\/\d+ shards done/.test(line)),
    ).toBe(true);
    expect(debugLogs.some((line) => /^demo data: students \d+$/.test(line))).toBe(true);
    const connection = db();
    const demo = await findDemoIdentities(connection.db);
    const classStudents = await connection.db.students.get(
      { class_code: demo.classCode ?? '' },
      { project: ['id'] },
    );
    connection.close();
    expect(demo.teacherId).toBeDefined();
    const token = await signDevToken(stack.keys, { id: demo.teacherId ?? '', role: 'teacher' });
    const response = await fetch(
      `${stack.apiUrl}/classes/${demo.classCode}/modules/${demo.moduleId}/results`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      class_code: string;
      students: { id: string }[];
      overall: { attempts: number };
    };
    expect(body.class_code).toBe(demo.classCode);
    expect(body.students.map((s) => s.id).sort()).toEqual(classStudents.map((s) => s.id).sort());
    expect(body.overall.attempts).toBeGreaterThan(0);
  });

  it('answers 401 as API Gateway does without a valid token, and 404 for an unknown route', async () => {
    const url = `${stack.apiUrl}/students/s-000001/progress`;
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: 'Unauthorized' });
    const forged = await fetch(url, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    const unknown = await fetch(`${stack.apiUrl}/nowhere`);
    expect(unknown.status).toBe(404);
  });

  it('answers a body over 10 MB with 413 JSON and a closed connection, not a reset', async () => {
    const url = `${stack.apiUrl}/answers`;
    const over = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20),
    });
    expect(over.status).toBe(413);
    expect(over.headers.get('connection')).toBe('close');
    expect(await over.json()).toEqual({ message: 'Request Entity Too Large' });
    // At the limit the body is taken, and the authorizer answers (no token here).
    const at = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(MAX_PAYLOAD_BYTES, 0x20),
    });
    expect(at.status).toBe(401);
  });

  it("passes the function's Retry-After through: a student over its answers per minute", async () => {
    const token = await signDevToken(stack.keys, { id: 'lms-app', role: 'service' });
    const batch = (from: number) => ({
      answers: Array.from({ length: 500 }, (_, i) => ({
        answer_id: `cap-${from + i}`,
        student_id: 's-cap',
        module_id: 'm-cap',
        word: 'apple',
        correct: true,
        answered_at: new Date().toISOString(),
      })),
    });
    // The stack runs on the real clock: of three full batches within seconds, two share a
    // minute whatever its edge, and 1,000 answers in one minute are over the cap of 600.
    let refused: Response | undefined;
    for (const from of [0, 500, 1000]) {
      const response = await fetch(`${stack.apiUrl}/answers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch(from)),
      });
      if (response.status === 429) {
        refused = response;
        break;
      }
      expect(response.status).toBe(200);
    }
    expect(refused?.headers.get('retry-after')).toMatch(/^([1-9]|[1-5][0-9]|60)$/);
    expect(await refused?.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('says why a token was refused: an expired one gets a hint in the header and the log', async () => {
    const exp = Math.floor(Date.now() / 1000) - 60;
    const expired = await new SignJWT({ 'cognito:username': 't-0001', 'custom:role': 'teacher' })
      .setProtectedHeader({ alg: DEV_KEY_ALGORITHM, kid: stack.keys.kid })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt(exp - 3600)
      .setExpirationTime(exp)
      .sign(stack.keys.privateKey);
    const response = await fetch(`${stack.apiUrl}/classes/c-0001/modules/m-001/results`, {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(response.status).toBe(401);
    // The body stays what API Gateway answers.
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
    const at = new Date(exp * 1000).toISOString();
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="invalid_token", error_description="token expired at ${at}"`,
    );
    expect(logs).toContain(
      `WARN GET /classes/c-0001/modules/m-001/results 401: token expired at ${at}; restarting lms start prints new tokens, or run: npx lms token --role teacher --id t-0001`,
    );
  });

  it('serves the OpenAPI document at /openapi.json, without a token', async () => {
    const response = await fetch(`${stack.apiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(openApiDocument());
  });

  it('runs a job now through /_jobs, and it updates stats', async () => {
    const connection = db();
    const [klass] = await connection.db.classes.get({}, { scan: true, project: ['code', 'stats'] });
    expect(klass?.stats?.students).toBeGreaterThan(0);
    await connection.db.students.putMany(
      Array.from({ length: 3 }, (_, i) => ({
        id: `s-new-${i}`,
        name: `New ${i}`,
        class_code: klass?.code ?? '',
        parent_ids: [],
      })),
    );
    const response = await fetch(`${stack.apiUrl}/_jobs/calc_all_stats`, postJson);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ job: 'calc_all_stats', failed: 0 });
    const after = await connection.db.classes.find(
      { code: klass?.code ?? '' },
      { project: ['stats'] },
    );
    connection.close();
    expect(after?.stats?.students).toBe((klass?.stats?.students ?? 0) + 3);
    const listed = await fetch(`${stack.apiUrl}/_jobs`);
    expect(await listed.json()).toMatchObject({
      jobs: expect.arrayContaining([expect.objectContaining({ function: 'calc_all_stats' })]),
    });
    expect((await fetch(`${stack.apiUrl}/_jobs/module_results`, postJson)).status).toBe(400);
  });

  it('starts a job without waiting, lists its run live and keeps its summary; start-up runs are listed', async () => {
    const started = await fetch(`${stack.apiUrl}/_jobs/aggregate_parents?wait=false`, postJson);
    expect(started.status).toBe(202);
    const { run } = (await started.json()) as { run: { id: string; status: string } };
    expect(run.status).toBe('running');
    const runUrl = `${stack.apiUrl}/_jobs/aggregate_parents/runs/${run.id}`;
    let finished: { status: string; summary: unknown; progress: unknown } | undefined;
    const deadline = Date.now() + 60_000;
    while (finished === undefined) {
      if (Date.now() > deadline) throw new Error('the run did not finish within a minute');
      const reply = (await (await fetch(runUrl)).json()) as {
        run: { status: string; summary: unknown; progress: unknown };
      };
      if (reply.run.status !== 'running') finished = reply.run;
    }
    expect(finished).toMatchObject({
      status: 'succeeded',
      summary: { job: 'aggregate_parents' },
      progress: { shards_done: expect.any(Number) },
    });
    const listed = (await (await fetch(`${stack.apiUrl}/_jobs`)).json()) as {
      jobs: { function: string; workflow: boolean; runs: { id: string; trigger: string }[] }[];
    };
    const parents = listed.jobs.find((job) => job.function === 'aggregate_parents');
    expect(parents?.workflow).toBe(true);
    expect(parents?.runs[0]?.id).toBe(run.id);
    // The runs after the seed are there too, as "start".
    expect(parents?.runs.map((r) => r.trigger)).toEqual(['request', 'start']);
    expect((await fetch(`${stack.apiUrl}/_jobs/aggregate_parents/runs/nope`)).status).toBe(404);
  });

  it('serves the console requests: identities, sign-in, and a directory the token decides', async () => {
    const identities = (await (await fetch(`${stack.apiUrl}/_console/identities`)).json()) as {
      identities: { role: string; id: string; label: string }[];
    };
    const teacher = identities.identities.find((i) => i.label === 'demo teacher');
    expect(teacher?.id).toBe(stack.demo.teacherId);
    const signIn = await fetch(`${stack.apiUrl}/_console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'teacher', id: teacher?.id }),
    });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    const directory = (await (
      await fetch(`${stack.apiUrl}/_console/directory`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { classes: { code: string; teacher_id: string }[] };
    expect(directory.classes.map((c) => c.code)).toContain(stack.demo.classCode);
    expect(directory.classes.every((c) => c.teacher_id === teacher?.id)).toBe(true);
    // The same token opens the demo class's results in the API itself.
    const results = await fetch(
      `${stack.apiUrl}/classes/${stack.demo.classCode}/modules/${stack.demo.moduleId}/results`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(results.status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/_console/directory`)).status).toBe(401);
  });

  it('stops everything in reverse order and leaves no process or port behind', async () => {
    const pid = stack.engine.pid;
    const { apiUrl, dynamodbEndpoint } = stack;
    await stack.stop();
    expect(logs.filter((line) => line.endsWith(' stopped'))[0]).toBe('HTTP API stopped');
    // The engine last but for the data folder's claim, taken before anything else.
    expect(logs.filter((line) => line.endsWith(' stopped')).slice(-2)).toEqual([
      expect.stringMatching(/^DynamoDB .* stopped$/),
      'data folder and ports stopped',
    ]);
    await expect(fetch(apiUrl)).rejects.toThrow();
    await expect(fetch(dynamodbEndpoint ?? '')).rejects.toThrow();
    if (pid !== undefined) expect(isProcessAlive(pid)).toBe(false);
  });
});

describe('the local stack refuses a catalogue that disagrees with src/functions/', () => {
  it('fails before starting anything, naming the function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lms-functions-'));
    try {
      for (const name of functionNames.filter((n) => n !== 'record_answers')) {
        mkdirSync(join(dir, name));
        for (const file of FUNCTION_FILES) writeFileSync(join(dir, name, file), '');
      }
      mkdirSync(join(dir, 'recordAnswers'));
      const started = startLocalStack({
        ...options,
        seed: false,
        log: () => {},
        functionsDir: dir,
      });
      await expect(started).rejects.toBeInstanceOf(CatalogueMismatchError);
      await expect(started).rejects.toThrow(
        /record_answers is in the catalogue .*src\/functions\/recordAnswers\/ has no entry/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
