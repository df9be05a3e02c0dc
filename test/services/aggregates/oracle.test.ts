/**
 * A seeded organisation (the demo generator, shrunk), several batches of answers over a
 * daylight-saving change in Europe/Paris (2026-10-25, a 25-hour day), the incremental
 * jobs after each batch; every stored figure is compared with the naive oracle computed
 * from the raw answers, and a full run afterwards changes nothing the incremental runs
 * stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, startOfLocalDay } from '../../../src/domain/time-zone.ts';
import type { Db } from '../../../src/repositories/db.ts';
import type { Organisation } from '../../../src/seed/generate.ts';
import { buildOrganisation } from '../../../src/seed/generate.ts';
import { seeded } from '../../../src/seed/random.ts';
import type { SeedSize } from '../../../src/seed/sizes.ts';
import { writeSeed } from '../../../src/seed/write.ts';
import { aggregateParents } from '../../../src/services/aggregates/aggregate-parents.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';
import { expectedProgress, expectedSummary, type RawAnswer } from './oracle.ts';
import { record, storedProgress, storedSummaries } from './support.ts';

const ZONE = 'Europe/Paris';
const SIZE: SeedSize = {
  groups: 1,
  schoolsPerGroup: 1,
  teachersPerSchool: 2,
  classesPerTeacher: [1, 2],
  studentsPerClass: [8, 12],
  modulesPerLevel: 2,
};
/** Answers recorded up to the first run (noon of the 24th): none from its future. */
const plan = {
  size: SIZE,
  seed: 20261025,
  today: '2026-10-24',
  timezone: ZONE,
  notAfter: new Date(startOfLocalDay('2026-10-24', ZONE).getTime() + 12 * 3_600_000 - 10_000),
};

let t: TestDb;
let org: Organisation;
/** The module whose record is deleted before any run: its answers count with words_total null. */
let goneModule: string;

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  org = buildOrganisation(plan);
  await writeSeed(t.db, plan);
  const answered = await t.db.answers.get({}, { scan: true, project: ['module_id'] });
  goneModule = answered[0]?.module_id ?? 'none';
  await t.db.modules.delete({ id: goneModule });
});
afterAll(() => t.destroy());

const rawAnswers = async (db: Db): Promise<RawAnswer[]> =>
  db.answers.get(
    {},
    {
      scan: true,
      project: ['student_id', 'answer_id', 'module_id', 'word', 'correct', 'answered_at'],
    },
  );

const moduleWords = () =>
  new Map(org.modules.filter((m) => m.id !== goneModule).map((m) => [m.id, m.words]));

/** A batch of answers on `day`: a third of the students, some right at local midnight. */
const batch = (day: string, label: string): RawAnswer[] => {
  const random = seeded(plan.seed).fork(label);
  const start = startOfLocalDay(day, ZONE).getTime();
  const end = startOfLocalDay(addDays(day, 1), ZONE).getTime();
  return org.students
    .filter(() => random.chance(0.35))
    .flatMap((student) =>
      Array.from({ length: random.int(1, 5) }, (_, i) => {
        const module = random.pick(org.modules);
        const at = random.pick([start, end - 1, start + Math.floor(random.next() * (end - start))]);
        return {
          student_id: student.id,
          answer_id: `${label}-${i}`,
          module_id: module.id,
          // Now and then a word that is not in the module's list.
          word: random.chance(0.1) ? 'zebra' : random.pick(module.words),
          correct: random.chance(0.7),
          answered_at: new Date(at).toISOString(),
        };
      }),
    );
};

/** Noon (local) on a day, or a minute before its end. */
const clock =
  (day: string, late = false) =>
  () =>
    late
      ? new Date(startOfLocalDay(addDays(day, 1), ZONE).getTime() - 60_000)
      : new Date(startOfLocalDay(day, ZONE).getTime() + 12 * 3_600_000);

const expectOracle = async (day: string) => {
  const answers = await rawAnswers(t.db);
  const progress = await storedProgress(t.db);
  const withAnswers = new Set(answers.map((a) => a.student_id));
  // Every student with answers has progress (they were all marked at some point) ...
  expect([...withAnswers].filter((id) => !progress.has(id))).toEqual([]);
  // ... and every stored progress is the oracle's.
  for (const [studentId, stored] of progress) {
    expect(stored, studentId).toEqual(
      expectedProgress(studentId, answers, moduleWords(), day, ZONE),
    );
  }
  const summaries = await storedSummaries(t.db);
  const students = await t.db.students.get({}, { scan: true });
  for (const parent of await t.db.parents.get({}, { scan: true })) {
    const stored = summaries.get(parent.id);
    // A parent none of whose children ever answered is never marked: no summary yet.
    const anyAnswers = parent.student_ids.some((id) => withAnswers.has(id));
    expect(stored !== undefined || !anyAnswers, parent.id).toBe(true);
    if (stored !== undefined) {
      expect(stored, parent.id).toEqual(expectedSummary(parent, students, answers, day, ZONE));
    }
  }
  return { progress: progress.size, summaries: summaries.size };
};

const incremental = async (day: string, late = false) => {
  const students = await aggregateStudents(t.db, {
    timeZone: ZONE,
    now: clock(day, late),
    settleMs: 0,
  });
  const parents = await aggregateParents(t.db, { timeZone: ZONE, now: clock(day, late) });
  expect(students.failed + parents.failed).toBe(0);
  return { students, parents };
};

describe('aggregates against the oracle (seeded organisation, Europe/Paris across DST)', () => {
  it('day 1: the seeded answers', async () => {
    const { students } = await incremental('2026-10-24');
    expect(students.scanned).toBeGreaterThan(10);
    const counts = await expectOracle('2026-10-24');
    expect(counts.summaries).toBeGreaterThan(5);
  });

  it('day 2 (25 hours long): a new batch and the roll-over', async () => {
    await record(t.db, batch('2026-10-25', 'b1'), clock('2026-10-25')());
    const { students } = await incremental('2026-10-25');
    expect(students.rollover).toBe(true);
    await expectOracle('2026-10-25');
  });

  it('the same day, late: another batch, only the marked students', async () => {
    const late = batch('2026-10-25', 'b2');
    await record(t.db, late, clock('2026-10-25', true)());
    const { students } = await incremental('2026-10-25', true);
    expect(students).toMatchObject({
      rollover: false,
      scanned: new Set(late.map((a) => a.student_id)).size,
    });
    await expectOracle('2026-10-25');
  });

  it('two days later (a day skipped), a third batch', async () => {
    await record(t.db, batch('2026-10-27', 'b3'), clock('2026-10-27')());
    await incremental('2026-10-27');
    await expectOracle('2026-10-27');
  });

  it('a full run then changes nothing the incremental runs stored, only adds what they never had', async () => {
    const day = '2026-10-27';
    const before = { progress: await storedProgress(t.db), summaries: await storedSummaries(t.db) };
    const students = await aggregateStudents(t.db, {
      timeZone: ZONE,
      now: clock(day),
      mode: 'full',
      settleMs: 0,
    });
    const parents = await aggregateParents(t.db, { timeZone: ZONE, now: clock(day), mode: 'full' });
    expect(students).toMatchObject({ scanned: org.students.length, failed: 0 });
    expect(students.updated).toBe(org.students.length - before.progress.size);
    expect(parents).toMatchObject({ scanned: org.parents.length, failed: 0 });
    expect(parents.updated).toBe(org.parents.length - before.summaries.size);
    const after = { progress: await storedProgress(t.db), summaries: await storedSummaries(t.db) };
    for (const [id, item] of before.progress) expect(after.progress.get(id), id).toEqual(item);
    for (const [id, item] of before.summaries) expect(after.summaries.get(id), id).toEqual(item);
    const counts = await expectOracle(day);
    expect(counts).toEqual({ progress: org.students.length, summaries: org.parents.length });
  });
});
