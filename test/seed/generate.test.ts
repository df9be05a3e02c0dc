import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/time-zone.ts';
import {
  ANSWER_DAYS,
  buildOrganisation,
  type SeedPlan,
  studentAnswers,
} from '../../src/seed/generate.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';

const plan: SeedPlan = {
  size: SEED_SIZES.small,
  seed: 7,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
};

const allAnswers = (p: SeedPlan) => {
  const org = buildOrganisation(p);
  const level = new Map(org.classes.map((c) => [c.code, Number(c.level)]));
  return org.students.flatMap((s) => [
    ...studentAnswers(p, s, level.get(s.class_code ?? '') ?? 1, org.modules),
  ]);
};

describe('the seed generator', () => {
  it('is deterministic: the same plan gives the same data, another seed other data', () => {
    expect(buildOrganisation(plan)).toEqual(buildOrganisation(plan));
    expect(allAnswers(plan)).toEqual(allAnswers(plan));
    expect(buildOrganisation({ ...plan, seed: 8 }).students).not.toEqual(
      buildOrganisation(plan).students,
    );
  });

  it('builds a consistent organisation of the requested size', () => {
    const org = buildOrganisation(plan);
    expect(org.students.length).toBeGreaterThan(150);
    expect(org.students.length).toBeLessThan(400);
    const ids = (items: { id: string }[]) => new Set(items.map((i) => i.id));
    const parents = ids(org.parents);
    const classes = new Set(org.classes.map((c) => c.code));
    const teachers = ids(org.teachers);
    for (const student of org.students) {
      expect(classes.has(student.class_code ?? '')).toBe(true);
      expect(student.parent_ids.length).toBeGreaterThan(0);
      for (const parentId of student.parent_ids) {
        expect(parents.has(parentId)).toBe(true);
        expect(org.parents.find((p) => p.id === parentId)?.student_ids).toContain(student.id);
      }
    }
    for (const klass of org.classes) expect(teachers.has(klass.teacher_id ?? '')).toBe(true);
    expect(org.parents.some((p) => p.student_ids.length > 1)).toBe(true); // siblings exist
    for (const module of org.modules) {
      expect(module.words.length).toBeGreaterThanOrEqual(15);
      expect(module.words.length).toBeLessThanOrEqual(25);
      expect(new Set(module.words).size).toBe(module.words.length);
    }
  });

  it('names classes as a school does, without ids, each name once per school', () => {
    for (const size of [SEED_SIZES.small, SEED_SIZES.medium]) {
      const org = buildOrganisation({ ...plan, size });
      for (const klass of org.classes) {
        expect(klass.name).toMatch(/^Class \d[A-Z]\d*$/);
        expect(klass.name.startsWith(`Class ${klass.level}`)).toBe(true);
      }
      const names = org.classes.map((c) => `${c.school_code}|${c.name}`);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('writes 30 days of answers to words of the class level modules, with differences worth looking at', () => {
    const org = buildOrganisation(plan);
    const answers = allAnswers(plan);
    const modules = new Map(org.modules.map((m) => [m.id, m]));
    const days = new Set<string>();
    for (const answer of answers) {
      expect(modules.get(answer.module_id)?.words).toContain(answer.word);
      expect(answer.answer_key).toBe(`${answer.module_id}#${answer.answer_id}`);
      days.add(localDate(answer.answered_at, plan.timezone));
    }
    expect([...days].sort().at(-1)).toBe('2026-11-24');
    expect(days.size).toBeLessThanOrEqual(ANSWER_DAYS);
    expect([...days].sort()[0]).toBe('2026-10-26');

    const byStudent = new Map<string, { attempts: number; correct: number }>();
    for (const a of answers) {
      const s = byStudent.get(a.student_id) ?? { attempts: 0, correct: 0 };
      s.attempts += 1;
      s.correct += a.correct ? 1 : 0;
      byStudent.set(a.student_id, s);
    }
    const accuracies = [...byStudent.values()]
      .filter((s) => s.attempts >= 10)
      .map((s) => s.correct / s.attempts);
    expect(Math.min(...accuracies)).toBeLessThan(0.6);
    expect(Math.max(...accuracies)).toBeGreaterThan(0.85);
    expect(byStudent.size).toBeLessThan(org.students.length); // some never practised
    expect(answers.length / org.students.length).toBeGreaterThan(20);
  });

  it('never writes an answer later than notAfter', () => {
    const notAfter = new Date('2026-11-24T02:00:00.000Z'); // 10:00 in Shanghai
    const answers = allAnswers({ ...plan, notAfter });
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers)
      expect(Date.parse(answer.answered_at)).toBeLessThanOrEqual(notAfter.getTime() + 40_000);
  });
});
