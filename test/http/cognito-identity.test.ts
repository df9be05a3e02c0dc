/**
 * Issue 13, identities: the handlers with the environment the deployed stack gives them
 * (`LMS_ID_CLAIM=cognito:username`, asserted by test/infra/functions.test.ts) and the
 * claims of real Cognito ID tokens (`sub` a UUID Cognito generates, the LMS id in
 * `cognito:username`): each role gets its own data and nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createModuleResultsHandler } from '../../src/functions/module_results/handler.ts';
import { createHandler as createParentSummaryHandler } from '../../src/functions/parent_summary/handler.ts';
import { createHandler as createRecordAnswersHandler } from '../../src/functions/record_answers/handler.ts';
import { createHandler as createStudentProgressHandler } from '../../src/functions/student_progress/handler.ts';
import type { HttpReply } from '../../src/http/reply.ts';
import { COGNITO_USERNAME_CLAIM } from '../../src/services/access/principal.ts';
import {
  bodyOf,
  type Claims,
  cognitoIdTokenClaims,
  lambdaContext,
  moduleResultsEvent,
  parentSummaryEvent,
  postAnswersEvent,
  studentProgressEvent,
} from '../support/events.ts';
import { klass, module, student } from '../support/fixtures.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
const context = lambdaContext('api');

/** The handlers as deployed: LMS_ID_CLAIM as the stack sets it (or unset: `sub`). */
const handlers = (env: Record<string, string> = { LMS_ID_CLAIM: COGNITO_USERNAME_CLAIM }) => {
  const runtime = () => testRuntime(t.db, { env });
  return {
    record: createRecordAnswersHandler(runtime),
    results: createModuleResultsHandler(runtime),
    progress: createStudentProgressHandler(runtime),
    summary: createParentSummaryHandler(runtime),
  };
};

let posted = 0;
const post = (studentId: string, claims: Claims, h = handlers()): Promise<HttpReply> => {
  posted += 1;
  return h.record(
    postAnswersEvent(
      {
        answers: [
          {
            answer_id: `cognito-${posted}`,
            student_id: studentId,
            module_id: 'm-1',
            word: 'apple',
            correct: true,
            answered_at: '2026-03-01T09:00:00+08:00',
          },
        ],
      },
      claims,
    ),
    context,
  );
};

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.putMany([
    klass('c-1', { teacher_id: 't-017' }),
    klass('c-2', { teacher_id: 't-018' }),
  ]);
  await t.db.modules.put(module('m-1', { words: ['apple', 'banana', 'cherry'] }));
  await t.db.students.putMany([
    student('s-000001', { name: 'Ann', class_code: 'c-1', parent_ids: ['p-000001'] }),
    student('s-000002', { name: 'Bob', class_code: 'c-2', parent_ids: ['p-000002'] }),
  ]);
  await t.db.parents.putMany([
    { id: 'p-000001', name: 'Pat', student_ids: ['s-000001'] },
    { id: 'p-000002', name: 'Sam', student_ids: ['s-000002'] },
  ]);
  for (const id of ['p-000001', 'p-000002']) {
    await t.db.parent_summaries.put({
      parent_id: id,
      children: [],
      updated_at: '2026-03-05T00:05:00.000Z',
    });
  }
});
afterAll(() => t.destroy());

describe('real Cognito ID tokens with the deployed environment', () => {
  const student = cognitoIdTokenClaims('student', 's-000001');
  const parent = cognitoIdTokenClaims('parent', 'p-000001');
  const teacher = cognitoIdTokenClaims('teacher', 't-017');
  const service = cognitoIdTokenClaims('service', 'lms-app');

  it('the tokens are shaped as Cognito issues them: sub a UUID, the LMS id the username', () => {
    expect(student.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(student.sub).not.toBe('s-000001');
    expect(student).toMatchObject({ 'cognito:username': 's-000001', token_use: 'id' });
  });

  it('a student posts its own answers (200), not another child’s (403)', async () => {
    const own = await post('s-000001', student);
    expect(own.statusCode).toBe(200);
    expect(bodyOf(own)).toMatchObject({ accepted: 1 });
    expect((await post('s-000002', student)).statusCode).toBe(403);
  });

  it('a parent reads its own summary (200), not another parent’s (403)', async () => {
    const { summary, progress } = handlers();
    expect((await summary(parentSummaryEvent('p-000001', parent), context)).statusCode).toBe(200);
    expect((await summary(parentSummaryEvent('p-000002', parent), context)).statusCode).toBe(403);
    expect((await progress(studentProgressEvent('s-000002', parent), context)).statusCode).toBe(
      403,
    );
  });

  it('a teacher reads its own class’s module results (200), not another class’s (403)', async () => {
    const { results } = handlers();
    expect((await results(moduleResultsEvent('c-1', 'm-1', teacher), context)).statusCode).toBe(
      200,
    );
    expect((await results(moduleResultsEvent('c-2', 'm-1', teacher), context)).statusCode).toBe(
      403,
    );
  });

  it('the service account posts answers for any student (200)', async () => {
    expect((await post('s-000001', service)).statusCode).toBe(200);
    expect((await post('s-000002', service)).statusCode).toBe(200);
  });

  it('a token without cognito:username is unauthenticated (401)', async () => {
    const { 'cognito:username': _, ...withoutUsername } = student;
    const reply = await post('s-000001', withoutUsername);
    expect(reply.statusCode).toBe(401);
    expect(bodyOf(reply)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('an access token of the same user (it passes the authorizer) is unauthenticated (401)', async () => {
    // What Cognito puts in an access token: `username`, `client_id`, no custom attributes.
    const access: Claims = {
      sub: student.sub ?? '',
      iss: student.iss ?? '',
      client_id: student.aud ?? '',
      origin_jti: 'b3f1c9a2-5d4e-4f60-8a7b-1c2d3e4f5a6b',
      event_id: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: '1772323200',
      exp: '1772326800',
      iat: '1772323200',
      jti: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      username: 's-000001',
    };
    const reply = await post('s-000001', access);
    expect(reply.statusCode).toBe(401);
  });

  it('with LMS_ID_CLAIM unset (sub) the same tokens get 403: why the stack sets it', async () => {
    const bySub = handlers({});
    expect((await post('s-000001', student, bySub)).statusCode).toBe(403);
    expect((await bySub.summary(parentSummaryEvent('p-000001', parent), context)).statusCode).toBe(
      403,
    );
  });
});
