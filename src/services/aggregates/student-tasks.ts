/**
 * Which students a run recomputes. Incremental: the marked ones (`student_marks` is small:
 * a student is marked from its new answers to the next run), plus on the first run of a
 * day those whose figures depend on the date (a projected scan of `student_progress`, never
 * of `answers`). Full: every student known, from `students`, the marks and the progress.
 */
import { dependsOnDate } from '../../domain/progress/rollover.ts';
import type { AggregateMode } from '../../domain/progress/run-modes.ts';
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { readPages } from '../read-pages.ts';
import type { AggregateRunListener } from './run-events.ts';

export interface StudentTask {
  readonly studentId: string;
  /** The mark's token as read, when the student is marked. */
  token?: string;
  /** The student's parents, when already read (a full run scans them with the students). */
  parentIds?: readonly string[];
  /** Modules whose word list changed: their figures are recomputed from the fold state. */
  readonly modules: string[];
}

export interface TaskReadOptions {
  readonly mode: AggregateMode;
  /**
   * The day is being rolled over: `threshold` from `rolloverThreshold` (`undefined`: every
   * student with answers). Absent: no roll-over in this run.
   */
  readonly rollover?: { readonly threshold: string | undefined };
  readonly timeZone: string;
  readonly onInvalid: (error: InvalidStoredItemError) => void;
  readonly onProgress?: AggregateRunListener;
}

export interface StudentTasks {
  readonly tasks: Map<string, StudentTask>;
  readonly marksRead: number;
}

/**
 * What a run reads of a student's mark when it lists the marked students; the fold reads
 * the mark again, consistently, before it reads any answer (`fold/batch-guard.ts`).
 */
export const MARK_FIELDS = ['student_id', 'token'] as const;

/** The task fields of a mark read with {@link MARK_FIELDS}. */
export const markOf = (mark: { readonly token: string }): Pick<StudentTask, 'token'> => ({
  token: mark.token,
});

export const taskOf = (tasks: Map<string, StudentTask>, studentId: string): StudentTask => {
  let task = tasks.get(studentId);
  if (task === undefined) {
    task = { studentId, modules: [] };
    tasks.set(studentId, task);
  }
  return task;
};

/**
 * @example
 * ```ts
 * const { tasks } = await readStudentTasks(db, { mode: 'incremental', timeZone, onInvalid });
 * ```
 */
export const readStudentTasks = async (db: Db, options: TaskReadOptions): Promise<StudentTasks> => {
  const { onInvalid, onProgress } = options;
  const tasks = new Map<string, StudentTask>();
  const marksRead = await readPages(
    'student_marks',
    db.student_marks.pages({}, { scan: true, project: [...MARK_FIELDS], onInvalid }),
    (mark) => {
      Object.assign(taskOf(tasks, mark.student_id), markOf(mark));
    },
    onProgress,
  );
  if (options.mode === 'full') {
    await readPages(
      'students',
      db.students.pages({}, { scan: true, project: ['id', 'parent_ids'], onInvalid }),
      (student) => {
        taskOf(tasks, student.id).parentIds = student.parent_ids;
      },
      onProgress,
    );
    // Progress of a student no longer in `students` is recomputed too: "every student".
    await readPages(
      'student_progress',
      db.student_progress.pages({}, { scan: true, project: ['student_id'], onInvalid }),
      (progress) => taskOf(tasks, progress.student_id),
      onProgress,
    );
  } else if (options.rollover !== undefined) {
    const { threshold } = options.rollover;
    await readPages(
      'student_progress',
      db.student_progress.pages(
        {},
        { scan: true, project: ['student_id', 'last_active_at'], onInvalid },
      ),
      (progress) => {
        if (dependsOnDate(progress.last_active_at, threshold, options.timeZone)) {
          taskOf(tasks, progress.student_id);
        }
      },
      onProgress,
    );
  }
  return { tasks, marksRead };
};
