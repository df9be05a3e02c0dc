import { describe, expect, it } from 'vitest';
import { computeStats, statsUnchanged } from '../../../src/domain/stats/compute.ts';
import type { OrganisationSnapshot } from '../../../src/domain/stats/snapshot.ts';

const snapshot = (overrides: Partial<OrganisationSnapshot> = {}): OrganisationSnapshot => ({
  studentsPerClass: new Map([
    ['c-1', 3],
    ['c-2', 2],
    ['c-x', 4],
  ]),
  unassignedStudents: 0,
  classes: new Map([
    ['c-1', { teacherId: 't-1', schoolCode: 's-1', stats: undefined }],
    ['c-2', { teacherId: 't-x', schoolCode: 's-1', stats: undefined }],
    ['c-3', { teacherId: undefined, schoolCode: undefined, stats: undefined }],
  ]),
  teachers: new Map([['t-1', { schoolCode: 's-2', stats: undefined }]]),
  schools: new Map([
    ['s-1', { groupCode: 'g-1', stats: undefined }],
    ['s-2', { groupCode: 'g-1', stats: undefined }],
  ]),
  groups: new Map([['g-1', { stats: undefined }]]),
  ...overrides,
});

describe('computeStats', () => {
  it('counts each level from the links of the records below it', () => {
    const { targets } = computeStats(snapshot(), ['class', 'teacher', 'school', 'group']);
    const byKey = Object.fromEntries(targets.map((t) => [`${t.level}:${t.key}`, t.counts]));
    expect(byKey).toEqual({
      'class:c-1': { students: 3 },
      'class:c-2': { students: 2 },
      'class:c-3': { students: 0 },
      'teacher:t-1': { classes: 1, students: 3 },
      // s-1 has the classes (by their school_code), s-2 the teacher (by its school_code).
      'school:s-1': { teachers: 0, classes: 2, students: 5 },
      'school:s-2': { teachers: 1, classes: 0, students: 0 },
      'group:g-1': { schools: 2, teachers: 1, classes: 2, students: 5 },
    });
  });

  it('computes only the requested levels and warns only of links those levels follow', () => {
    const { targets, warnings } = computeStats(
      snapshot({ teachers: undefined, schools: undefined, groups: undefined }),
      ['class'],
    );
    expect(new Set(targets.map((t) => t.level))).toEqual(new Set(['class']));
    expect(warnings.map((w) => w.kind)).toEqual(['student_class_missing']);
    expect(warnings[0]?.message).toBe('4 student(s) belong to class c-x, which does not exist');
  });

  it('reports a class whose teacher is missing when teachers are counted', () => {
    const { warnings } = computeStats(snapshot(), ['teacher']);
    expect(warnings.map((w) => w.message)).toContain(
      'class c-2 is taught by teacher t-x, who does not exist',
    );
  });
});

describe('statsUnchanged', () => {
  it('ignores updated_at and compares every count', () => {
    expect(statsUnchanged({ students: 3, updated_at: 'x' }, { students: 3 })).toBe(true);
    expect(statsUnchanged({ students: 2, updated_at: 'x' }, { students: 3 })).toBe(false);
    expect(statsUnchanged(undefined, { students: 0 })).toBe(false);
  });

  it('treats a stored shape with other keys as a change (so it is rewritten)', () => {
    expect(statsUnchanged({ students: 3, pupils: 3 }, { students: 3 })).toBe(false);
    expect(statsUnchanged({}, { students: 0 })).toBe(false);
  });
});
