import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/time-zone.ts';
import { answerSchema } from '../../src/entities/answer.ts';
import { buildOrganisation, type SeedPlan, studentAnswers } from '../../src/seed/generate.ts';
import { SIMULATED_DAYS, simulatedAnswers } from '../../src/seed/simulated.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';

const plan: SeedPlan = {
  size: SEED_SIZES.small,
  seed: 7,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
  learners: 'simulated',
};

const simulate = (p: SeedPlan) => {
  const org = buildOrganisation(p);
  const level = new Map(org.classes.map((c) => [c.code, Number(c.level)]));
  return org.students
    .slice(0, 40)
    .flatMap((s) => [...simulatedAnswers(p, s, level.get(s.class_code ?? '') ?? 1, org.modules)]);
};

describe('simulated learners (lms seed --learners simulated)', () => {
  const answers = simulate(plan);

  it('is deterministic for a seed number, and another seed gives other answers', () => {
    expect(simulate(plan)).toEqual(answers);
    const other = simulate({ ...plan, seed: 8 });
    expect(other.map((a) => a.answer.correct)).not.toEqual(answers.map((a) => a.answer.correct));
  });

  it('leaves the basic seed as it was: the option only changes who answers', () => {
    const org = buildOrganisation(plan);
    const student = org.students[0];
    if (student === undefined) throw new Error('no student');
    const basic = { ...plan, learners: 'basic' as const };
    const { learners: _, ...unset } = plan;
    expect(buildOrganisation(basic)).toEqual(org);
    expect([...studentAnswers(basic, student, 1, org.modules)]).toEqual([
      ...studentAnswers(unset, student, 1, org.modules),
    ]);
  });

  it('draws each answer with a probability strictly between 0 and 1, and the draws follow it', () => {
    expect(answers.length).toBeGreaterThan(5_000);
    for (const { p } of answers) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    // Calibration in bins of p: the share right is the mean p, within sampling error.
    for (const [low, high] of [
      [0, 0.3],
      [0.3, 0.7],
      [0.7, 1],
    ] as const) {
      const bin = answers.filter(({ p }) => p >= low && p < high);
      expect(bin.length).toBeGreaterThan(300);
      const meanP = bin.reduce((sum, { p }) => sum + p, 0) / bin.length;
      const right = bin.filter(({ answer }) => answer.correct).length / bin.length;
      expect(Math.abs(right - meanP)).toBeLessThan(4 * Math.sqrt(0.25 / bin.length));
    }
  });

  it('writes answers that validate, in time order, over days with gaps so words are met again after days', () => {
    const days = new Set<string>();
    const gaps: number[] = [];
    const last = new Map<string, number>();
    let previous = { student: '', at: 0 };
    for (const { answer } of answers) {
      expect(answerSchema.safeParse(answer).success, JSON.stringify(answer)).toBe(true);
      const at = Date.parse(answer.answered_at);
      if (previous.student === answer.student_id) expect(at).toBeGreaterThan(previous.at);
      previous = { student: answer.student_id, at };
      days.add(localDate(answer.answered_at, plan.timezone));
      const key = `${answer.student_id} ${answer.word}`;
      const before = last.get(key);
      if (before !== undefined && at - before > 3_600_000) gaps.push((at - before) / 86_400_000);
      last.set(key, at);
    }
    const sorted = [...days].sort();
    expect(sorted.at(-1)).toBe('2026-11-24');
    expect(sorted.length).toBeLessThanOrEqual(SIMULATED_DAYS);
    expect(sorted.length).toBeGreaterThan(60);
    expect(Math.min(...gaps)).toBeLessThan(1.5);
    expect(gaps.filter((gap) => gap >= 7).length).toBeGreaterThan(gaps.length / 10);
    expect(gaps.some((gap) => gap >= 30)).toBe(true);
    // Keys are unique, as the table needs.
    const keys = answers.map(({ answer }) => `${answer.student_id} ${answer.answer_key}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never writes an answer later than notAfter', () => {
    const notAfter = new Date('2026-11-24T02:00:00.000Z');
    const until = simulate({ ...plan, notAfter });
    expect(until.length).toBeGreaterThan(0);
    for (const { answer } of until)
      expect(Date.parse(answer.answered_at)).toBeLessThanOrEqual(notAfter.getTime());
  });
});
