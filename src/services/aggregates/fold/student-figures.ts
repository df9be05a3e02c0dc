/**
 * A student's progress through its fold state: fold what is new (or rebuild), then read
 * the figures off the state. The stored progress supplies the figures of modules nothing
 * was folded into since it was written; the others come from their parts, with each
 * module's current word list.
 */
import type { ModuleFigures, StudentFigures } from '../../../domain/progress/figures.ts';
import { moduleFiguresOf, progressOf } from '../../../domain/progress/fold/figures.ts';
import type { WordStats } from '../../../domain/progress/fold/state.ts';
import { modulePart } from '../../../entities/student-state.ts';
import type { Entity } from '../../../repositories/db.ts';
import {
  FoldConflictError,
  type FoldContext,
  type FoldedState,
  findRoot,
  foldNewAnswers,
  LeftoverBeyondStepError,
} from './fold-student.ts';
import { InvalidStatePartError, moduleWordsOf, readModule, rootState } from './parts.ts';
import { rebuildStudent } from './rebuild-student.ts';

/** Folds of one student tried before its conflict is reported (each starts afresh). */
export const FOLD_ATTEMPTS = 4;

export const FOLD_WORK = {
  /** Marked: fold what was recorded since the last fold. */
  New: 'new',
  /** Only the date changed: the figures are read off the stored state. */
  Date: 'date',
  /** `{"mode":"full"}`: rebuild from the raw answers. */
  Rebuild: 'rebuild',
} as const;
export type FoldWork = (typeof FOLD_WORK)[keyof typeof FOLD_WORK];

export interface StudentFold {
  readonly figures: StudentFigures;
  /** The root version the figures are of (stored with the progress, see `pendingBefore`). */
  readonly foldVersion: number;
  readonly answersRead: number;
  readonly rebuilt: boolean;
}

export interface StudentFoldContext extends FoldContext {
  readonly moduleWords: ReadonlyMap<string, readonly string[]>;
}

/** The stored progress's fold version, when it has one (progress written by a fold). */
export const foldVersionOf = (
  progress: Entity<'student_progress'> | undefined,
): number | undefined =>
  typeof progress?.fold_version === 'number' ? progress.fold_version : undefined;

/**
 * @example
 * ```ts
 * const { figures, foldVersion } = await studentFold(context, 's-1', FOLD_WORK.New, stored);
 * ```
 */
export const studentFold = async (
  context: StudentFoldContext,
  studentId: string,
  work: FoldWork,
  stored: Entity<'student_progress'> | undefined,
  /** Modules whose figures must be recomputed even if nothing was folded into them. */
  recompute: readonly string[] = [],
): Promise<StudentFold> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await foldOnce(context, studentId, work, stored, recompute);
    } catch (error) {
      if (!(error instanceof FoldConflictError) || attempt >= FOLD_ATTEMPTS) throw error;
    }
  }
};

const foldOnce = async (
  context: StudentFoldContext,
  studentId: string,
  work: FoldWork,
  stored: Entity<'student_progress'> | undefined,
  recompute: readonly string[],
): Promise<StudentFold> => {
  let folded: FoldedState;
  let rebuilt = false;
  const storedVersion = foldVersionOf(stored);
  if (work === FOLD_WORK.Rebuild) {
    folded = await rebuildStudent(context, studentId);
    rebuilt = true;
  } else {
    let root: Awaited<ReturnType<typeof findRoot>>;
    try {
      root = await findRoot(context.db, studentId);
    } catch (error) {
      if (!(error instanceof InvalidStatePartError)) throw error;
      root = undefined;
    }
    if (
      root === undefined ||
      root.time_zone !== context.timeZone ||
      root.review_retention !== context.model.retention ||
      root.rebuilding !== undefined
    ) {
      // No state yet (a student from before the fold, or whose state was lost), days of
      // another zone, cards scheduled for another retention, or a rebuild that claimed the root and did not finish: the state is
      // rebuilt from the answers once.
      folded = await rebuildStudent(context, studentId);
      rebuilt = true;
    } else if (work === FOLD_WORK.New) {
      try {
        folded = await foldNewAnswers(context, root, { foldVersion: storedVersion });
      } catch (error) {
        if (!(error instanceof LeftoverBeyondStepError)) throw error;
        folded = await rebuildStudent(context, studentId);
        rebuilt = true;
      }
    } else {
      folded = { root, state: rootState(root), modules: new Map(), answersRead: 0 };
    }
  }

  const { root } = folded;
  // Which modules' figures the stored progress cannot supply: all of them after a rebuild
  // or when it was not written by a fold, else those folded into since it was written.
  const fromStored = !rebuilt && stored !== undefined && storedVersion !== undefined;
  const due = fromStored
    ? [...new Set([...(storedVersion === root.version ? [] : root.pending_modules), ...recompute])]
    : undefined;
  const parts = rebuilt
    ? folded.modules
    : await moduleParts(context, studentId, folded.modules, due);
  // A Map, not assignment into an object: a module id is data and may be `__proto__`.
  const modules = new Map<string, ModuleFigures>(
    fromStored
      ? Object.entries(stored.modules).map(([moduleId, figures]) => [
          moduleId,
          // `words_due` is recomputed for every module below (it depends on the day).
          { ...figures, words_due: figures.words_due ?? 0 },
        ])
      : [],
  );
  for (const [moduleId, words] of parts) {
    // "An entry for every module the student has answers in": an emptied part has none.
    if ([...words.values()].every((stats) => stats.attempts === 0)) {
      modules.delete(moduleId);
      continue;
    }
    modules.set(moduleId, moduleFiguresOf(words, context.moduleWords.get(moduleId)));
  }
  return {
    figures: progressOf({
      studentId,
      root: folded.state,
      modules: Object.fromEntries(modules),
      today: context.today,
      moduleWords: (moduleId) => context.moduleWords.get(moduleId),
    }),
    foldVersion: root.version,
    answersRead: folded.answersRead,
    rebuilt,
  };
};

/** The module parts whose figures are due (`undefined`: every one the student has). */
const moduleParts = async (
  context: StudentFoldContext,
  studentId: string,
  loaded: ReadonlyMap<string, ReadonlyMap<string, WordStats>>,
  due: readonly string[] | undefined,
): Promise<Map<string, ReadonlyMap<string, WordStats>>> => {
  const parts = new Map<string, ReadonlyMap<string, WordStats>>();
  const read = (item: Entity<'student_state'>) => {
    const part = readModule(item);
    parts.set(part.module_id, moduleWordsOf(part));
  };
  if (due === undefined) {
    for await (const page of context.db.student_state.pages(
      { student_id: studentId },
      { sortKey: { beginsWith: 'm#' }, consistent: true },
    )) {
      for (const item of page) read(item);
    }
    return parts;
  }
  const missing = due.filter((moduleId) => !loaded.has(moduleId));
  for (const moduleId of due) {
    const words = loaded.get(moduleId);
    if (words !== undefined) parts.set(moduleId, words);
  }
  if (missing.length > 0) {
    const items = await context.db.student_state.findMany(
      missing.map((moduleId) => ({ student_id: studentId, part: modulePart(moduleId) })),
      { consistent: true },
    );
    for (const item of items) read(item);
  }
  return parts;
};
