import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import type { FindingKind } from '../../../src/services/check/findings.ts';
import { type CheckReport, runCheck } from '../../../src/services/check/run-check.ts';
import { reportLines, summaryLine } from '../../../src/services/check/summary.ts';
import { answer, klass, module, student } from '../../support/fixtures.ts';

/** A small organisation in which every link holds. */
const cleanDb = async () => {
  const memory = createMemoryDb();
  const { db } = memory;
  await db.groups.put({ code: 'g-1', name: 'Group' });
  await db.schools.put({ code: 'sc-1', name: 'School', group_code: 'g-1' });
  await db.teachers.put({ id: 't-1', name: 'Teacher', school_code: 'sc-1' });
  await db.classes.put(klass('c-1', { teacher_id: 't-1', school_code: 'sc-1' }));
  // Links may be absent: an unlinked record is not a problem.
  await db.classes.put(klass('c-unlinked', { teacher_id: undefined, school_code: undefined }));
  await db.students.putMany([
    student('s-1', { class_code: 'c-1', parent_ids: ['p-1'] }),
    student('s-2', { class_code: 'c-1', parent_ids: ['p-1', 'p-1'] }),
    student('s-unassigned', { class_code: undefined }),
  ]);
  await db.parents.put({ id: 'p-1', name: 'Parent', student_ids: ['s-1', 's-2'] });
  await db.modules.put(module('m-1'));
  await db.answers.putMany([answer('s-1', 'm-1', 'a-1'), answer('s-2', 'm-1', 'a-2')]);
  return memory;
};

/** The (record, target) ids of a kind's examples. */
const pairs = (report: CheckReport, kind: FindingKind) =>
  (report.by_kind[kind]?.examples ?? []).map((f) => [f.record?.id, f.target?.id]);

describe('runCheck', () => {
  it('finds nothing in a consistent organisation and reads each table once', async () => {
    const { db } = await cleanDb();
    const progress: string[] = [];
    const report = await runCheck(db, {
      now: () => new Date('2026-11-24T16:05:00.000Z'),
      onProgress: (event) => {
        if (event.done) progress.push(event.table);
      },
    });
    expect(report).toMatchObject({
      ok: true,
      kinds: 0,
      findings: 0,
      by_kind: {},
      answers_checked: true,
      checked_at: '2026-11-24T16:05:00.000Z',
      records: 12,
    });
    expect(progress.sort()).toEqual(
      [
        'answers',
        'classes',
        'groups',
        'modules',
        'parents',
        'schools',
        'students',
        'teachers',
      ].sort(),
    );
    expect(summaryLine(report)).toBe('check: no problems in 12 records');
    expect(reportLines(report)).toEqual([]);
  });

  it('finds every kind of problem, with the ids concerned', async () => {
    const { db, plant } = await cleanDb();
    await db.schools.put({ code: 'sc-2', name: 'S2', group_code: 'g-gone' });
    await db.teachers.put({ id: 't-2', name: 'T2', school_code: 'sc-gone' });
    await db.classes.putMany([
      klass('c-2', { teacher_id: 't-gone', school_code: 'sc-1' }),
      klass('c-3', { teacher_id: 't-1', school_code: 'sc-gone-too' }),
    ]);
    await db.students.putMany([
      student('s-3', { class_code: 'c-gone' }),
      student('s-4', { class_code: 'c-1', parent_ids: ['p-gone'] }),
      student('s-5', { class_code: 'c-1', parent_ids: ['p-3'] }),
      student('s-6', { class_code: 'c-1', parent_ids: [] }),
    ]);
    await db.parents.putMany([
      { id: 'p-2', name: 'P2', student_ids: ['s-gone'] },
      { id: 'p-3', name: 'P3', student_ids: [] },
      { id: 'p-4', name: 'P4', student_ids: ['s-6'] },
    ]);
    await db.answers.putMany([
      answer('s-gone-a', 'm-1', 'a-3'),
      answer('s-gone-a', 'm-1', 'a-4'),
      answer('s-gone-a', 'm-1', 'a-5'),
      answer('s-gone-b', 'm-1', 'a-6'),
      answer('s-1', 'm-gone', 'a-7'),
      answer('s-1', 'm-gone', 'a-8'),
    ]);
    plant('students', { id: 's-bad', class_code: 5, parent_ids: [] });

    const report = await runCheck(db);
    expect(report.ok).toBe(false);
    expect(Object.keys(report.by_kind)).toEqual([
      'student_class_missing',
      'class_teacher_missing',
      'class_school_missing',
      'teacher_school_missing',
      'school_group_missing',
      'student_parent_missing',
      'parent_student_missing',
      'parent_lacks_student',
      'student_lacks_parent',
      'answer_student_missing',
      'answer_module_missing',
      'invalid_item',
    ]);
    expect(pairs(report, 'student_class_missing')).toEqual([['s-3', 'c-gone']]);
    expect(pairs(report, 'class_teacher_missing')).toEqual([['c-2', 't-gone']]);
    expect(pairs(report, 'class_school_missing')).toEqual([['c-3', 'sc-gone-too']]);
    expect(pairs(report, 'teacher_school_missing')).toEqual([['t-2', 'sc-gone']]);
    expect(pairs(report, 'school_group_missing')).toEqual([['sc-2', 'g-gone']]);
    expect(pairs(report, 'student_parent_missing')).toEqual([['s-4', 'p-gone']]);
    expect(pairs(report, 'parent_student_missing')).toEqual([['p-2', 's-gone']]);
    expect(pairs(report, 'parent_lacks_student')).toEqual([['s-5', 'p-3']]);
    expect(pairs(report, 'student_lacks_parent')).toEqual([['p-4', 's-6']]);
    expect(report.by_kind.answer_student_missing).toMatchObject({
      count: 2,
      answers: 4,
      examples: [
        { target: { table: 'students', id: 's-gone-a' }, answers: 3 },
        { target: { table: 'students', id: 's-gone-b' }, answers: 1 },
      ],
    });
    expect(report.by_kind.answer_module_missing).toMatchObject({
      count: 1,
      answers: 2,
      examples: [{ target: { table: 'modules', id: 'm-gone' }, answers: 2 }],
    });
    expect(report.by_kind.invalid_item?.examples[0]).toMatchObject({
      record: { table: 'students', id: 's-bad' },
    });
    expect(report).toMatchObject({ kinds: 12, findings: 13 });
    expect(summaryLine(report)).toBe(
      `check: 12 problem kinds, 13 findings in ${report.records} records`,
    );
    const lines = reportLines(report);
    expect(lines).toContain("student_class_missing: 1 (a student's class does not exist)");
    expect(lines).toContain('  student s-3: class c-gone does not exist');
    expect(lines).toContain(
      'answer_student_missing: 2, 4 answers (answers by a student who does not exist)',
    );
    expect(lines).toContain('  3 answers point at student s-gone-a, which does not exist');
  });

  it('does not call invalid records missing, nor check what they list', async () => {
    const { db, plant } = await cleanDb();
    plant('parents', { id: 'p-bad', name: 'Bad', student_ids: 'not a list' });
    plant('students', { id: 's-bad', name: 7, class_code: 'c-1', parent_ids: 'p-1' });
    await db.students.put(student('s-7', { class_code: 'c-1', parent_ids: ['p-bad'] }));
    await db.parents.put({ id: 'p-7', name: 'P7', student_ids: ['s-bad'] });
    await db.answers.put(answer('s-bad', 'm-1', 'a-9'));
    const report = await runCheck(db);
    expect(Object.keys(report.by_kind)).toEqual(['invalid_item']);
    expect(
      pairs(report, 'invalid_item')
        .map(([record]) => record)
        .sort(),
    ).toEqual(['p-bad', 's-bad']);
  });

  it('names an answer the aggregates leave out (it does not validate)', async () => {
    const { db, plant } = await cleanDb();
    plant('answers', { ...answer('s-1', 'm-1', 'a-old'), correct: 'yes' });
    const report = await runCheck(db);
    expect(Object.keys(report.by_kind)).toEqual(['invalid_item']);
    expect(report.by_kind.invalid_item?.examples).toEqual([
      expect.objectContaining({
        record: { table: 'answers', id: 's-1/m-1#a-old' },
        message: expect.stringContaining('correct'),
      }),
    ]);
  });

  it('keeps a count of every finding but only a few examples of each kind', async () => {
    const { db } = await cleanDb();
    await db.students.putMany(
      Array.from({ length: 25 }, (_, i) => student(`s-x${i}`, { class_code: 'c-gone' })),
    );
    const report = await runCheck(db, { examples: 3 });
    expect(report.by_kind.student_class_missing?.count).toBe(25);
    expect(report.by_kind.student_class_missing?.examples).toHaveLength(3);
    expect(reportLines(report).at(-1)).toBe('  … and 22 more');
  });

  it('leaves the answers out when asked', async () => {
    const { db } = await cleanDb();
    await db.answers.put(answer('s-gone', 'm-gone', 'a-1'));
    const report = await runCheck(db, { skipAnswers: true });
    expect(report).toMatchObject({ ok: true, answers_checked: false });
    expect(report.items_read.answers).toBeUndefined();
    expect(summaryLine(report)).toBe('check: no problems in 10 records (answers not checked)');
  });
});
