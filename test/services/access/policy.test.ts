import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { ForbiddenError } from '../../../src/services/access/errors.ts';
import { ACTIONS, mayAttempt } from '../../../src/services/access/permissions.ts';
import {
  assertMayPostAnswersFor,
  assertMayReadClass,
  assertMayReadOrganisation,
  assertMayReadParentSummary,
  assertMayReadStudent,
  classScopeOf,
  ownStudentIds,
} from '../../../src/services/access/policy.ts';
import { type Principal, ROLES, type Role } from '../../../src/services/access/principal.ts';
import { klass, student } from '../../support/fixtures.ts';

const as = (role: Role, sub: string): Principal => ({ role, sub });

describe('role matrix', () => {
  it('grants exactly the actions of DESIGN section 5 (and a student its own progress)', () => {
    const table = Object.fromEntries(
      Object.values(ROLES).map((role) => [
        role,
        Object.values(ACTIONS).filter((action) => mayAttempt(role, action)),
      ]),
    );
    expect(table).toEqual({
      admin: [
        'post_answers',
        'read_module_results',
        'read_student_progress',
        'read_parent_summary',
        'read_student_review',
        'read_class_review',
      ],
      teacher: [
        'read_module_results',
        'read_student_progress',
        'read_student_review',
        'read_class_review',
      ],
      parent: ['read_student_progress', 'read_parent_summary', 'read_student_review'],
      student: ['post_answers', 'read_student_progress', 'read_student_review'],
      service: ['post_answers'],
    });
  });
});

describe('assertMayPostAnswersFor', () => {
  it('lets admin and service post for anyone, a student only for itself', () => {
    expect(() => assertMayPostAnswersFor(as('service', 'app'), ['s-1', 's-2'])).not.toThrow();
    expect(() => assertMayPostAnswersFor(as('admin', 'a'), ['s-1'])).not.toThrow();
    expect(() => assertMayPostAnswersFor(as('student', 's-1'), ['s-1', 's-1'])).not.toThrow();
    expect(() => assertMayPostAnswersFor(as('student', 's-1'), ['s-1', 's-2'])).toThrow(
      'answers[1].student_id',
    );
    expect(() => assertMayPostAnswersFor(as('teacher', 't-1'), [])).toThrow(ForbiddenError);
    expect(() => assertMayPostAnswersFor(as('parent', 'p-1'), [])).toThrow(ForbiddenError);
  });
});

describe('assertMayReadClass', () => {
  it('lets a teacher see only its own class, and an admin any class, even a missing one', () => {
    const own = { teacher_id: 't-1' };
    expect(() => assertMayReadClass(as('teacher', 't-1'), own)).not.toThrow();
    expect(() => assertMayReadClass(as('teacher', 't-2'), own)).toThrow(ForbiddenError);
    expect(() => assertMayReadClass(as('teacher', 't-1'), {})).toThrow(ForbiddenError);
    expect(() => assertMayReadClass(as('teacher', 't-1'), undefined)).toThrow(ForbiddenError);
    expect(() => assertMayReadClass(as('admin', 'a'), undefined)).not.toThrow();
    for (const role of ['parent', 'student', 'service'] as const) {
      expect(() => assertMayReadClass(as(role, 't-1'), own)).toThrow(ForbiddenError);
    }
  });
});

describe('classScopeOf', () => {
  it('is every class for an admin, the classes it teaches for a teacher, none for the rest', () => {
    expect(classScopeOf(as('admin', 'a'))).toEqual({ kind: 'every-class' });
    expect(classScopeOf(as('teacher', 't-1'))).toEqual({ kind: 'taught-by', teacherId: 't-1' });
    for (const role of ['parent', 'student', 'service'] as const) {
      expect(classScopeOf(as(role, 'x'))).toEqual({ kind: 'none' });
    }
  });
});

describe('assertMayReadOrganisation', () => {
  it('lets an admin only', () => {
    expect(() => assertMayReadOrganisation(as('admin', 'a'))).not.toThrow();
    for (const role of ['teacher', 'parent', 'student', 'service'] as const) {
      expect(() => assertMayReadOrganisation(as(role, 'x'))).toThrow(ForbiddenError);
    }
  });
});

describe('assertMayReadStudent', () => {
  let db: Db;
  beforeAll(async () => {
    db = createMemoryDb().db;
    await db.classes.putMany([
      klass('c-1', { teacher_id: 't-1' }),
      klass('c-2', { teacher_id: 't-2' }),
    ]);
    await db.students.putMany([
      student('s-1', { class_code: 'c-1' }),
      student('s-2', { class_code: 'c-2' }),
      student('s-3', { class_code: undefined }),
      student('s-4', { class_code: 'c-gone' }),
    ]);
    await db.parents.putMany([
      { id: 'p-1', name: 'P', student_ids: ['s-1', 's-ghost'] },
      { id: 'p-2', name: 'Q', student_ids: [] },
    ]);
  });

  const allowed = async (principal: Principal, studentId: string) => {
    try {
      await assertMayReadStudent(db, principal, studentId);
      return true;
    } catch (error) {
      if (error instanceof ForbiddenError) return false;
      throw error;
    }
  };

  it('follows the rules of each role', async () => {
    expect(await allowed(as('admin', 'a'), 's-404')).toBe(true);
    expect(await allowed(as('student', 's-1'), 's-1')).toBe(true);
    expect(await allowed(as('student', 's-1'), 's-2')).toBe(false);
    expect(await allowed(as('teacher', 't-1'), 's-1')).toBe(true);
    expect(await allowed(as('teacher', 't-1'), 's-2')).toBe(false);
    expect(await allowed(as('teacher', 't-1'), 's-3')).toBe(false); // no class
    expect(await allowed(as('teacher', 't-1'), 's-4')).toBe(false); // class missing
    expect(await allowed(as('teacher', 't-1'), 's-404')).toBe(false);
    expect(await allowed(as('parent', 'p-1'), 's-1')).toBe(true);
    expect(await allowed(as('parent', 'p-1'), 's-2')).toBe(false);
    expect(await allowed(as('parent', 'p-1'), 's-ghost')).toBe(false); // listed, not existing
    expect(await allowed(as('parent', 'p-404'), 's-1')).toBe(false);
    expect(await allowed(as('service', 'app'), 's-1')).toBe(false);
  });

  it('ownStudentIds: a parent its listed children, once each, a student itself, others none', async () => {
    await db.parents.putMany([{ id: 'p-3', name: 'R', student_ids: ['s-1', '', 's-1', 's-2'] }]);
    expect(await ownStudentIds(db, as('parent', 'p-3'))).toEqual(['s-1', 's-2']);
    expect(await ownStudentIds(db, as('parent', 'p-404'))).toEqual([]);
    expect(await ownStudentIds(db, as('student', 's-1'))).toEqual(['s-1']);
    for (const role of ['admin', 'teacher', 'service'] as const) {
      expect(await ownStudentIds(db, as(role, 's-1'))).toEqual([]);
    }
  });
});

describe('assertMayReadParentSummary', () => {
  it('lets a parent see its own summary and an admin any', () => {
    expect(() => assertMayReadParentSummary(as('parent', 'p-1'), 'p-1')).not.toThrow();
    expect(() => assertMayReadParentSummary(as('admin', 'a'), 'p-1')).not.toThrow();
    expect(() => assertMayReadParentSummary(as('parent', 'p-2'), 'p-1')).toThrow(ForbiddenError);
    for (const role of ['teacher', 'student', 'service'] as const) {
      expect(() => assertMayReadParentSummary(as(role, 'p-1'), 'p-1')).toThrow(ForbiddenError);
    }
  });
});
