/**
 * "Done" for the aggregates, as deployed: answers posted to `record_answers`, the two
 * scheduled functions run (src/functions/<name>/main.ts, configured from the environment,
 * on the real clock), then `GET /students/{id}/progress` and `GET /parents/{id}/summary`
 * answer figures equal to a naive recomputation from the raw answers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, localDate, startOfLocalDay } from '../../src/domain/time-zone.ts';
import { handle as aggregateParents } from '../../src/functions/aggregate_parents/main.ts';
import { handle as aggregateStudents } from '../../src/functions/aggregate_students/main.ts';
import { handle as parentSummary } from '../../src/functions/parent_summary/main.ts';
import { handle as recordAnswers } from '../../src/functions/record_answers/main.ts';
import { handle as studentProgress } from '../../src/functions/student_progress/main.ts';
import { seeded } from '../../src/seed/random.ts';
import {
  expectedProgress,
  expectedSummary,
  type RawAnswer,
} from '../services/aggregates/oracle.ts';
import {
  claimsFor,
  lambdaContext,
  parentSummaryEvent,
  postAnswersEvent,
  studentProgressEvent,
} from '../support/events.ts';
import { module, student } from '../support/fixtures.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

const ZONE = 'America/New_York';
let t: TestDb;

const modules = [
  module('m-1', { words: ['apple', 'banana', 'cherry', 'date'] }),
  module('m-2', { words: ['egg', 'fig', 'apple'] }),
];
const students = [
  student('s-1', { name: 'Mia', class_code: 'c-1', parent_ids: ['p-1'] }),
  student('s-2', { name: 'Leo', class_code: 'c-1', parent_ids: ['p-1', 'p-2'] }),
  student('s-3', { name: 'Ada', class_code: 'c-2', parent_ids: ['p-2'] }),
];
const parents = [
  { id: 'p-1', name: 'One', student_ids: ['s-1', 's-2'] },
  { id: 'p-2', name: 'Two', student_ids: ['s-2', 's-3', 's-gone'] },
];

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.modules.putMany(modules);
  await t.db.students.putMany(students);
  await t.db.parents.putMany(parents);
  for (const [name, value] of Object.entries(t.env)) vi.stubEnv(name, value);
  vi.stubEnv('LMS_TIMEZONE', ZONE);
  vi.stubEnv('LOG_LEVEL', 'error');
  // Answers are posted and aggregated within the same second here.
  vi.stubEnv('LMS_ANSWER_SETTLE_SECONDS', '0');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t.destroy();
});

/** Answers over the `days` local days ending today, each at a random instant of its day. */
const answersOver = (label: string, days: number): RawAnswer[] => {
  const random = seeded(7).fork(label);
  const today = localDate(new Date(), ZONE);
  return Array.from({ length: 60 }, (_, i) => {
    const day = addDays(today, -random.int(0, days - 1));
    const start = startOfLocalDay(day, ZONE).getTime();
    const end = Math.min(Date.now(), startOfLocalDay(addDays(day, 1), ZONE).getTime() - 1);
    const moduleRecord = random.pick(modules);
    return {
      student_id: random.pick(['s-1', 's-2']),
      answer_id: `${label}-${i}`,
      module_id: moduleRecord.id,
      word: random.pick(moduleRecord.words),
      correct: random.chance(0.75),
      answered_at: new Date(start + Math.floor(random.next() * (end - start))).toISOString(),
    };
  });
};

const context = (name: string) => lambdaContext(name);
const bodyOf = (reply: unknown): unknown => JSON.parse((reply as { body?: string }).body ?? 'null');
const withoutUpdatedAt = (body: unknown) => {
  const { updated_at: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
};

const post = async (answers: readonly RawAnswer[]) => {
  const reply = await recordAnswers(
    postAnswersEvent({ answers }, claimsFor('service', 'lms-app')),
    context('record_answers'),
  );
  expect(reply).toMatchObject({ statusCode: 200 });
};

const runJobsAndCompare = async (all: readonly RawAnswer[]) => {
  const studentsRun = (await aggregateStudents(
    { mode: 'incremental' },
    context('aggregate_students'),
  )) as {
    today: string;
    failed: number;
  };
  const parentsRun = (await aggregateParents({}, context('aggregate_parents'))) as {
    today: string;
    failed: number;
  };
  expect(studentsRun.failed + parentsRun.failed).toBe(0);
  const moduleWords = new Map(modules.map((m) => [m.id, m.words]));
  for (const id of ['s-1', 's-2']) {
    const reply = await studentProgress(
      studentProgressEvent(id, claimsFor('admin', 'admin-1')),
      context('student_progress'),
    );
    expect(reply).toMatchObject({ statusCode: 200 });
    expect(withoutUpdatedAt(bodyOf(reply)), id).toEqual(
      expectedProgress(id, all, moduleWords, studentsRun.today, ZONE),
    );
  }
  for (const parent of parents) {
    const reply = await parentSummary(
      parentSummaryEvent(parent.id, claimsFor('parent', parent.id)),
      context('parent_summary'),
    );
    expect(reply).toMatchObject({ statusCode: 200 });
    expect(withoutUpdatedAt(bodyOf(reply)), parent.id).toEqual(
      expectedSummary(parent, students, all, parentsRun.today, ZONE),
    );
  }
};

describe('the aggregate functions as deployed', () => {
  it('after answers are recorded and both jobs run, the API returns the figures of the raw answers', async () => {
    const first = answersOver('first', 35);
    await post(first);
    await runJobsAndCompare(first);
    const second = answersOver('second', 3);
    await post(second);
    await runJobsAndCompare([...first, ...second]);
  });
});
