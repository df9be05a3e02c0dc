/**
 * The children of a parent's summary (DESIGN section 4): the existing students among the
 * parent's `student_ids`, each with figures from its progress, sorted by name then id.
 */
import { compareByNameThenId } from '../ordering.ts';
import { childFigures, type ProgressForChild } from './child-figures.ts';
import type { ChildSummary } from './figures.ts';

/** What a child's entry needs of a `students` record. */
export interface ChildRecord {
  readonly id: string;
  readonly name: string;
  readonly class_code?: string | undefined;
}

export interface ParentChildrenInput {
  /** The parent's `student_ids`, as stored (a repeated id counts once). */
  readonly studentIds: readonly string[];
  /** The existing students among them (others are left out and reported). */
  readonly students: ReadonlyMap<string, ChildRecord>;
  /** Their stored progress; a child without progress has zeros and nulls. */
  readonly progress: ReadonlyMap<string, ProgressForChild>;
  readonly today: string;
  readonly timeZone: string;
}

export interface ParentChildren {
  readonly children: ChildSummary[];
  /** Ids the parent lists that name no student (in the parent's order, once each). */
  readonly missing: string[];
}

/**
 * @example
 * ```ts
 * const { children, missing } = parentChildren({
 *   studentIds: ['s-2', 's-1', 's-9'], students, progress, today: '2026-11-24', timeZone: 'Asia/Shanghai',
 * });
 * missing; // ['s-9'] when no student s-9 exists
 * ```
 */
export const parentChildren = (input: ParentChildrenInput): ParentChildren => {
  const children: (ChildSummary & { readonly id: string })[] = [];
  const missing: string[] = [];
  for (const studentId of new Set(input.studentIds)) {
    const student = input.students.get(studentId);
    if (student === undefined) {
      missing.push(studentId);
      continue;
    }
    children.push({
      id: student.id,
      student_id: student.id,
      name: student.name,
      class_code: student.class_code ?? null,
      ...childFigures(input.progress.get(studentId), input.today, input.timeZone),
    });
  }
  children.sort(compareByNameThenId);
  return { children: children.map(({ id: _sortKey, ...child }) => child), missing };
};
