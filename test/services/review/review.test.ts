/**
 * The review model end to end on an engine: answers recorded through `record_answers`'
 * service (late ones among them), folded by `aggregate_students` round after round, then
 * both routes read, all against an independent replay with `ts-fsrs` itself (`oracle.ts`).
 */
import { fsrs } from 'ts-fsrs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { addDays, localDate } from '../../../src/domain/time-zone.ts';
import { createHandler as createClassReviewHandler } from '../../../src/functions/class_review/handler.ts';
import { createHandler as createStudentReviewHandler } from '../../../src/functions/student_review/handler.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { seeded } from '../../../src/seed/random.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import {
  classReviewReplySchema,
  studentReviewReplySchema,
} from '../../../src/services/review/schemas.ts';
import {
  bodyOf,
  type Claims,
  claimsFor,
  classReviewEvent,
  lambdaContext,
  studentReviewEvent,
} from '../../support/events.ts';
import { klass, module, student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';
import { expectedCards, expectedProgress, type RawAnswer } from '../aggregates/oracle.ts';
import { record, storedProgress } from '../aggregates/support.ts';

const ZONE = 'Asia/Shanghai';
const WORDS = ['apple', 'pear', 'fig', 'kiwi', 'plum', 'lime'];
const MODULES = new Map<string, readonly string[]>([
  ['m-1', ['apple', 'pear', 'fig']],
  ['m-2', ['kiwi', 'apple', 'plum']],
]);
const STUDENTS = ['s-1', 's-2', 's-3', 's-4'];
const START = '2026-09-01';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.put(klass('c-1', { teacher_id: 't-1' }));
  await t.db.classes.put(klass('c-2', { teacher_id: 't-2' }));
  for (const [id, words] of MODULES) await t.db.modules.put(module(id, { words: [...words] }));
  for (const id of STUDENTS) await t.db.students.put(student(id, { name: `Kid ${id}` }));
});
afterAll(() => t.destroy());

const noonOf = (day: string) => new Date(`${day}T04:00:00.000Z`); // 12:00 in Shanghai

const run = (db: Db, day: string, mode: 'incremental' | 'full' = 'incremental') =>
  aggregateStudents(db, { timeZone: ZONE, now: () => noonOf(day), settleMs: 0, mode });

const call = async <T>(
  handler: ReturnType<typeof createStudentReviewHandler>,
  event: Parameters<ReturnType<typeof createStudentReviewHandler>>[0],
  name: string,
  parse: (body: unknown) => T,
) => {
  const reply = await handler(event, lambdaContext(name));
  return { status: reply.statusCode, body: bodyOf(reply), parsed: () => parse(bodyOf(reply)) };
};

const studentReview = (
  studentId: string,
  at: Date,
  claims: Claims,
  query?: Readonly<Record<string, string>>,
) =>
  call(
    createStudentReviewHandler(() => testRuntime(t.db, { now: at })),
    studentReviewEvent(studentId, claims, query),
    'student_review',
    (body) => studentReviewReplySchema.parse(body),
  );

const classReview = (classCode: string, at: Date, claims: Claims) =>
  call(
    createClassReviewHandler(() => testRuntime(t.db, { now: at })),
    classReviewEvent(classCode, claims),
    'class_review',
    (body) => classReviewReplySchema.parse(body),
  );

/** DESIGN's reply from the oracle's cards: due today by recall, the next 7 days by due_at. */
const expectedReview = (
  studentId: string,
  answers: readonly RawAnswer[],
  at: Date,
  all = false,
) => {
  const scheduler = fsrs({ request_retention: 0.9, enable_fuzz: false, enable_short_term: false });
  const mine = answers.filter((a) => a.student_id === studentId);
  const today = localDate(at, ZONE);
  const words = [...expectedCards(mine, ZONE)].map(([word, { card, reviews }]) => ({
    word,
    module_ids: [...new Set(mine.filter((a) => a.word === word).map((a) => a.module_id))].sort(),
    recall: scheduler.get_retrievability(card, at, false),
    due_at: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    reviews,
    lapses: card.lapses,
    last_review: card.last_review?.toISOString() ?? null,
    day: localDate(card.due, ZONE),
  }));
  const strip = ({ day: _day, ...word }: (typeof words)[number]) => word;
  const byDue = (a: (typeof words)[number], b: (typeof words)[number]) =>
    a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : a.word < b.word ? -1 : 1;
  return {
    student_id: studentId,
    generated_at: at.toISOString(),
    retention: 0.9,
    due: words
      .filter((w) => w.day <= today)
      .sort((a, b) => a.recall - b.recall || (a.word < b.word ? -1 : 1))
      .map(strip),
    upcoming: words
      .filter((w) => w.day > today && w.day <= addDays(today, 7))
      .sort(byDue)
      .map(strip),
    ...(all
      ? {
          later: words
            .filter((w) => w.day > addDays(today, 7))
            .sort(byDue)
            .map(strip),
        }
      : {}),
  };
};

/** Answers for `day`: a few per student, some of them late (dated days before). */
const answersOf = (round: number, day: string): RawAnswer[] => {
  const random = seeded(700 + round);
  return STUDENTS.flatMap((studentId) =>
    Array.from({ length: random.int(3, 14) }, (_, i) => {
      const late = random.chance(0.25) ? random.int(1, 12) : 0;
      const moduleId = random.pick([...MODULES.keys()]);
      // Coarse instants, so that two attempts share a millisecond now and then.
      const at = noonOf(addDays(day, -late)).getTime() + random.int(-20, 20) * 1_800_000;
      return {
        student_id: studentId,
        answer_id: `r${round}-${random.int(0, 9)}-${i}`,
        module_id: moduleId,
        word: random.pick(WORDS),
        correct: random.chance(0.7),
        answered_at: new Date(at).toISOString(),
      };
    }),
  );
};

describe('the review model on an engine', () => {
  const admin = claimsFor('admin', 'a-1');
  const all: RawAnswer[] = [];

  it('answers 404 before the aggregate job has folded a student, 403 to another student', async () => {
    const missing = await studentReview('s-1', noonOf(START), claimsFor('student', 's-1'));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'REVIEW_NOT_FOUND' } });
    const other = await studentReview('s-2', noonOf(START), claimsFor('student', 's-1'));
    expect(other.status).toBe(403);
  });

  it('folds cards equal to a ts-fsrs replay of the day-first attempts, late answers included, round after round', async () => {
    let day = START;
    for (let round = 0; round < 8; round += 1) {
      day = addDays(day, 1 + (round % 3));
      const batch = answersOf(round, day);
      all.push(...batch);
      await record(t.db, batch, noonOf(day));
      await run(t.db, day);
      const progress = await storedProgress(t.db);
      for (const id of STUDENTS) {
        expect(progress.get(id), `round ${round}, ${id}`).toEqual(
          expectedProgress(id, all, MODULES, day, ZONE),
        );
        // An hour after the run, and four days on: recall moves, due lists too.
        for (const at of [new Date(noonOf(day).getTime() + 3_600_000), noonOf(addDays(day, 4))]) {
          const reply = await studentReview(id, at, admin);
          expect(reply.status).toBe(200);
          expect(reply.parsed(), `round ${round}, ${id}, ${at.toISOString()}`).toEqual(
            expectedReview(id, all, at),
          );
        }
        const every = await studentReview(id, noonOf(day), admin, { all: 'true' });
        expect(every.parsed(), `round ${round}, ${id}, all`).toEqual(
          expectedReview(id, all, noonOf(day), true),
        );
      }
    }
  });

  it('refuses ?all=yes (400) and answers a student without answers with empty lists', async () => {
    const bad = await studentReview('s-1', noonOf(START), admin, { all: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
    await t.db.students.put(student('s-quiet', { name: 'Quiet' }));
    await run(t.db, '2026-09-29', 'full');
    const quiet = await studentReview('s-quiet', noonOf('2026-09-29'), admin);
    expect(quiet.status).toBe(200);
    expect(quiet.parsed()).toMatchObject({ student_id: 's-quiet', due: [], upcoming: [] });
    await t.db.students.delete({ id: 's-quiet' });
  });

  it('a full run rebuilds the same cards from the raw answers', async () => {
    const at = new Date(noonOf('2026-09-30').getTime());
    const before = await Promise.all(STUDENTS.map((id) => studentReview(id, at, admin)));
    await run(t.db, '2026-09-29', 'full');
    const after = await Promise.all(STUDENTS.map((id) => studentReview(id, at, admin)));
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
  });

  it('serves a class its words by students due, from the progress the last run stored', async () => {
    const day = '2026-09-29';
    await run(t.db, day);
    const at = noonOf(day);
    const reply = await classReview('c-1', at, claimsFor('teacher', 't-1'));
    expect(reply.status).toBe(200);
    const progress = await storedProgress(t.db);
    const wordList = z.array(z.string());
    const due = (id: string) => wordList.parse(progress.get(id)?.due_words ?? []);
    const practised = (id: string) => wordList.parse(progress.get(id)?.practised_words ?? []);
    const words = [...new Set(STUDENTS.flatMap(practised))]
      .map((word) => ({
        word,
        students_due: STUDENTS.filter((id) => due(id).includes(word)).length,
        students_practised: STUDENTS.filter((id) => practised(id).includes(word)).length,
      }))
      .sort((a, b) => b.students_due - a.students_due || (a.word < b.word ? -1 : 1));
    expect(reply.parsed()).toEqual({
      class_code: 'c-1',
      generated_at: at.toISOString(),
      words,
      students: STUDENTS.map((id) => ({
        id,
        name: `Kid ${id}`,
        words_due: progress.get(id)?.words_due ?? 0,
      })),
    });
    expect(words.some((w) => w.students_due > 0)).toBe(true);
  });

  it("refuses another teacher's class (403) and says an unknown class is missing to an admin (404)", async () => {
    const other = await classReview('c-1', noonOf(START), claimsFor('teacher', 't-2'));
    expect(other.status).toBe(403);
    const parent = await classReview('c-1', noonOf(START), claimsFor('parent', 'p-1'));
    expect(parent.status).toBe(403);
    const unknown = await classReview('c-404', noonOf(START), admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'CLASS_NOT_FOUND' } });
  });

  it('leaves out a word whose stored card does not read, serving the others', async () => {
    const at = noonOf('2026-09-30');
    const before = studentReviewReplySchema.parse((await studentReview('s-1', at, admin)).body);
    const [victim] = [...before.due, ...before.upcoming];
    if (victim === undefined) throw new Error('the history left s-1 nothing to review');
    await t.plant('student_state', {
      student_id: 's-1',
      part: `w#${victim.word}`,
      word: victim.word,
      card: { due: 'not a date' },
      module_ids: [],
    });
    const after = await studentReview('s-1', at, admin);
    expect(after.status).toBe(200);
    const words = after.parsed();
    expect([...words.due, ...words.upcoming].map((w) => w.word)).not.toContain(victim.word);
    expect(words.due.length + words.upcoming.length).toBe(
      before.due.length + before.upcoming.length - 1,
    );
  });
});
