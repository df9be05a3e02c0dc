import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, type SeedPlan } from '../../src/seed/generate.ts';
import { writeSeed } from '../../src/seed/write.ts';
import type { CheckReport } from '../../src/services/check/run-check.ts';
import { runLms } from '../support/cli.ts';
import { answer, klass, student } from '../support/fixtures.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
const plan: SeedPlan = {
  size: {
    groups: 1,
    schoolsPerGroup: 2,
    teachersPerSchool: 2,
    classesPerTeacher: [1, 1],
    studentsPerClass: [8, 10],
    modulesPerLevel: 1,
  },
  seed: 3,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
};
const org = buildOrganisation(plan);

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await writeSeed(t.db, plan);
});
afterAll(() => t.destroy());

const run = (...args: string[]) => runLms(t, ...args);

describe('lms check', () => {
  it('exits 0 on a consistent organisation, with progress lines and a closing summary', async () => {
    const { code, out, err } = await run('check');
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toContain(`students read: ${org.students.length}`);
    expect(err.at(-1)).toMatch(/^check: no problems in [\d,]+ records$/);
  });

  it('finds planted problems of every kind, names the ids, and exits 1', async () => {
    const someStudent = org.students[0];
    const someParent = org.parents[0];
    if (someStudent === undefined || someParent === undefined) throw new Error('empty seed');
    await t.db.groups.put({ code: 'g-lonely', name: 'Lonely' });
    await t.db.schools.put({ code: 'sc-x', name: 'X', group_code: 'g-gone' });
    await t.db.teachers.put({ id: 't-x', name: 'X', school_code: 'sc-gone' });
    await t.db.classes.putMany([
      klass('c-x1', { teacher_id: 't-gone', school_code: 'sc-x' }),
      klass('c-x2', { teacher_id: 't-x', school_code: 'sc-gone-2' }),
    ]);
    await t.db.students.putMany([
      student('s-x1', { class_code: 'c-gone', parent_ids: [] }),
      student('s-x2', { class_code: 'c-x1', parent_ids: ['p-gone'] }),
      // Lists an existing parent who does not list it back.
      student('s-x3', { class_code: 'c-x1', parent_ids: [someParent.id] }),
      student('s-x4', { class_code: 'c-x1', parent_ids: [] }),
    ]);
    await t.db.parents.putMany([
      { id: 'p-x1', name: 'X1', student_ids: ['s-gone'] },
      // Lists a student who does not list it back.
      { id: 'p-x2', name: 'X2', student_ids: ['s-x4'] },
    ]);
    await t.db.answers.putMany([
      answer('s-gone-a', 'm-001', 'x-1'),
      answer('s-gone-a', 'm-001', 'x-2'),
      answer(someStudent.id, 'm-gone', 'x-3'),
    ]);
    // What the LMS app might have written: a student whose parent_ids is not a list.
    await t.plant('students', { id: 's-invalid', name: 'Bad', parent_ids: 42 });

    const { code, out, err } = await run('check', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as CheckReport;
    const ids = (kind: keyof CheckReport['by_kind']) =>
      (report.by_kind[kind]?.examples ?? []).map((f) => [f.record?.id, f.target?.id]);
    expect(report).toMatchObject({ ok: false, kinds: 12, findings: 12 });
    expect(ids('student_class_missing')).toEqual([['s-x1', 'c-gone']]);
    expect(ids('class_teacher_missing')).toEqual([['c-x1', 't-gone']]);
    expect(ids('class_school_missing')).toEqual([['c-x2', 'sc-gone-2']]);
    expect(ids('teacher_school_missing')).toEqual([['t-x', 'sc-gone']]);
    expect(ids('school_group_missing')).toEqual([['sc-x', 'g-gone']]);
    expect(ids('student_parent_missing')).toEqual([['s-x2', 'p-gone']]);
    expect(ids('parent_student_missing')).toEqual([['p-x1', 's-gone']]);
    expect(ids('parent_lacks_student')).toEqual([['s-x3', someParent.id]]);
    expect(ids('student_lacks_parent')).toEqual([['p-x2', 's-x4']]);
    expect(ids('answer_student_missing')).toEqual([[undefined, 's-gone-a']]);
    expect(report.by_kind.answer_student_missing?.answers).toBe(2);
    expect(ids('answer_module_missing')).toEqual([[undefined, 'm-gone']]);
    expect(ids('invalid_item')).toEqual([['s-invalid', undefined]]);
    expect(err.at(-1)).toBe(
      `lms: check: 12 problem kinds, 12 findings in ${report.records.toLocaleString('en-US')} records [INTEGRITY_PROBLEMS]`,
    );
  });

  it('lists kinds, counts and examples for people, bounded by --examples', async () => {
    await t.db.students.putMany([
      student('s-y1', { class_code: 'c-gone' }),
      student('s-y2', { class_code: 'c-gone' }),
    ]);
    const { code, out } = await run('check', '--examples', '1', '--skip-answers');
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines).toContain("student_class_missing: 3 (a student's class does not exist)");
    expect(lines).toContain('  … and 2 more');
    expect(out).not.toContain('answer_student_missing');
  });

  it('exits 2 on a configuration error, before reading anything', async () => {
    const { code, err } = await run('--prefix', 'bad prefix!', 'check');
    expect(code).toBe(2);
    expect(err.at(-1)).toMatch(/LMS_TABLE_PREFIX/);
  });
});
