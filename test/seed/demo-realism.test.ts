/**
 * The demo organisation (`lms seed`'s default, what `lms start` loads) reads like a real
 * school: the flags of `module_results` pick out a few words and students per class, not
 * most, and accuracy rises with practice and falls with time away. Measured through the
 * service, as a teacher's request reads it, on the test engine.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entity } from '../../src/repositories/db.ts';
import { buildOrganisation, type SeedPlan } from '../../src/seed/generate.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';
import { writeSeed } from '../../src/seed/write.ts';
import {
  getModuleResults,
  type ModuleResultsReply,
} from '../../src/services/results/module-results.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

/** The demo's plan: `lms start`'s default size and seed number (its `today` varies). */
const plan: SeedPlan = {
  size: SEED_SIZES.small,
  seed: 1,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
};
const org = buildOrganisation(plan);

let t: TestDb;
const results: { klass: Entity<'classes'>; reply: ModuleResultsReply }[] = [];
let answers: Entity<'answers'>[] = [];

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await writeSeed(t.db, plan);
  const deps = {
    db: t.db,
    now: () => new Date('2026-11-24T16:05:00.000Z'),
    timezone: plan.timezone,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  };
  for (const klass of org.classes) {
    for (const module of org.modules.filter((m) => m.level === klass.level)) {
      const reply = await getModuleResults(
        deps,
        { sub: 'admin', role: 'admin' },
        { classCode: klass.code, moduleId: module.id },
      );
      results.push({ klass, reply });
    }
  }
  answers = (await t.db.answers.get({}, { scan: true })).sort((a, b) =>
    a.answered_at < b.answered_at ? -1 : a.answered_at > b.answered_at ? 1 : 0,
  );
}, 120_000);
afterAll(() => t.destroy());

const DAY_MS = 86_400_000;

/** Correct / attempts of a list of answers. */
const accuracyOf = (list: readonly Pick<Entity<'answers'>, 'correct'>[]) =>
  list.filter((a) => a.correct).length / list.length;

describe('the demo organisation', () => {
  it('flags at most a quarter of a class module’s words and students, and some in most', () => {
    expect(results.length).toBe(org.classes.length * SEED_SIZES.small.modulesPerLevel);
    for (const { reply } of results) {
      const words = reply.words.length;
      const students = reply.students.length;
      expect(reply.needs_review.length, `${reply.class_code} ${reply.module_id}`).toBeLessThan(
        words / 4,
      );
      expect(reply.needs_help.length, `${reply.class_code} ${reply.module_id}`).toBeLessThan(
        students / 4,
      );
    }
    // Some flags, in most class modules and in every class: the flags mean something.
    const withWords = results.filter((r) => r.reply.needs_review.length > 0);
    const withStudents = results.filter((r) => r.reply.needs_help.length > 0);
    expect(withWords.length).toBeGreaterThanOrEqual((results.length * 3) / 4);
    expect(withStudents.length).toBeGreaterThanOrEqual((results.length * 3) / 4);
    for (const klass of org.classes) {
      const own = results.filter((r) => r.klass.code === klass.code);
      const flagged = own.flatMap((r) => [...r.reply.needs_review, ...r.reply.needs_help]);
      expect(flagged.length, klass.code).toBeGreaterThan(0);
    }
  });

  it('has classes mostly right, students of differing ability and words of differing difficulty', () => {
    for (const { reply } of results) {
      expect(reply.overall.accuracy).toBeGreaterThan(0.6);
      expect(reply.overall.accuracy).toBeLessThan(0.9);
    }
    const accuracies = results
      .flatMap((r) => r.reply.students)
      .filter((s) => s.attempts >= 10)
      .map((s) => s.accuracy ?? 0);
    expect(Math.max(...accuracies) - Math.min(...accuracies)).toBeGreaterThan(0.4);
    const wordAccuracies = results
      .flatMap((r) => r.reply.words)
      .filter((w) => w.attempts >= 10)
      .map((w) => w.accuracy ?? 0);
    expect(Math.max(...wordAccuracies) - Math.min(...wordAccuracies)).toBeGreaterThan(0.3);
  });

  it('has accuracy rise with practice and fall with time away', () => {
    // A student's first answer to a word on a day, by how many days they practised it before
    // and how long ago the last was (a retry in the same session says little of memory).
    const history = new Map<string, { days: number; last: number; day: string }>();
    const byPractice = new Map<number, Entity<'answers'>[]>();
    const soon: Entity<'answers'>[] = [];
    const late: Entity<'answers'>[] = [];
    for (const answer of answers) {
      const key = `${answer.student_id}:${answer.module_id}:${answer.word}`;
      const at = Date.parse(answer.answered_at);
      const day = answer.answered_at.slice(0, 10);
      const seen = history.get(key);
      if (seen?.day === day) continue;
      const practised = Math.min(seen?.days ?? 0, 3);
      byPractice.set(practised, [...(byPractice.get(practised) ?? []), answer]);
      if (seen !== undefined && seen.days === 1) {
        if (at - seen.last <= 3 * DAY_MS) soon.push(answer);
        if (at - seen.last >= 7 * DAY_MS) late.push(answer);
      }
      history.set(key, { days: (seen?.days ?? 0) + 1, last: at, day });
    }
    const curve = [0, 1, 2, 3].map((n) => accuracyOf(byPractice.get(n) ?? []));
    for (let n = 1; n < curve.length; n++) {
      expect(curve[n], `after ${n} days of practice`).toBeGreaterThan(curve[n - 1] ?? 1);
    }
    expect(curve[3]).toBeGreaterThan((curve[0] ?? 1) + 0.15);
    expect(late.length).toBeGreaterThan(100);
    expect(accuracyOf(late)).toBeLessThan(accuracyOf(soon) - 0.05);
  });
});
