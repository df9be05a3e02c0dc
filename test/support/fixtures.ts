/** Small valid entities for tests; overrides replace any attribute. */
import { recordedKey } from '../../src/entities/answer.ts';
import type { DemoIdentities } from '../../src/local/demo-identities.ts';
import type { Entity } from '../../src/repositories/db.ts';

export const student = (
  id: string,
  overrides: Partial<Entity<'students'>> = {},
): Entity<'students'> => ({
  id,
  name: `Student ${id}`,
  class_code: 'c-1',
  parent_ids: [],
  ...overrides,
});

export const klass = (
  code: string,
  overrides: Partial<Entity<'classes'>> = {},
): Entity<'classes'> => ({
  code,
  name: `Class ${code}`,
  teacher_id: 't-1',
  school_code: 'sc-1',
  level: 1,
  ...overrides,
});

export const module = (
  id: string,
  overrides: Partial<Entity<'modules'>> = {},
): Entity<'modules'> => ({
  id,
  title: `Module ${id}`,
  level: 1,
  words: ['apple', 'banana', 'cherry'],
  ...overrides,
});

export const answer = (
  studentId: string,
  moduleId: string,
  answerId: string,
  overrides: Partial<Entity<'answers'>> = {},
): Entity<'answers'> => {
  const stored = {
    student_id: studentId,
    answer_key: `${moduleId}#${answerId}`,
    answer_id: answerId,
    module_id: moduleId,
    word: 'apple',
    correct: true,
    answered_at: '2026-11-20T01:02:03.000Z',
    recorded_at: '2026-11-20T01:02:04.000Z',
    ...overrides,
  };
  return { ...stored, recorded_key: recordedKey(stored.recorded_at, stored.answer_key) };
};

/** The demo identities of a stack whose data has none, but the ones given. */
export const demoIdentities = (overrides: Partial<DemoIdentities> = {}): DemoIdentities => ({
  teacherId: undefined,
  otherTeacherId: undefined,
  classCode: undefined,
  moduleId: undefined,
  word: undefined,
  studentId: undefined,
  parentId: undefined,
  ...overrides,
});
