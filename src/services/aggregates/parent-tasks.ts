/**
 * Which parents a run recomputes: the marked ones (incremental), or every parent plus any
 * marked one (full; a mark of a parent that is gone is then cleared), plus, in a full run,
 * every parent with a summary but no record (its summary is removed).
 */

import type { AggregateMode } from '../../domain/progress/run-modes.ts';
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { readPages } from '../read-pages.ts';
import type { AggregateRunListener } from './run-events.ts';

export interface ParentTask {
  readonly parentId: string;
  /** The mark's token as read, when the parent is marked. */
  token?: string;
  /** The parent's `student_ids`, when already read (a full run scans them). */
  studentIds?: readonly string[];
}

export interface ParentTasks {
  readonly tasks: Map<string, ParentTask>;
  readonly marksRead: number;
}

const taskOf = (tasks: Map<string, ParentTask>, parentId: string): ParentTask => {
  let task = tasks.get(parentId);
  if (task === undefined) {
    task = { parentId };
    tasks.set(parentId, task);
  }
  return task;
};

/**
 * @example
 * ```ts
 * const { tasks } = await readParentTasks(db, 'incremental', onInvalid);
 * ```
 */
export const readParentTasks = async (
  db: Db,
  mode: AggregateMode,
  onInvalid: (error: InvalidStoredItemError) => void,
  onProgress?: AggregateRunListener,
): Promise<ParentTasks> => {
  const tasks = new Map<string, ParentTask>();
  const marksRead = await readPages(
    'parent_marks',
    db.parent_marks.pages({}, { scan: true, project: ['parent_id', 'token'], onInvalid }),
    (mark) => {
      taskOf(tasks, mark.parent_id).token = mark.token;
    },
    onProgress,
  );
  if (mode === 'full') {
    await readPages(
      'parents',
      db.parents.pages({}, { scan: true, project: ['id', 'student_ids'], onInvalid }),
      (parent) => {
        taskOf(tasks, parent.id).studentIds = parent.student_ids;
      },
      onProgress,
    );
    // Summaries of parents not scanned above: left over from deleted parents, removed.
    await readPages(
      'parent_summaries',
      db.parent_summaries.pages({}, { scan: true, project: ['parent_id'], onInvalid }),
      (summary) => {
        if (tasks.get(summary.parent_id)?.studentIds === undefined) {
          taskOf(tasks, summary.parent_id);
        }
      },
      onProgress,
    );
  }
  return { tasks, marksRead };
};
