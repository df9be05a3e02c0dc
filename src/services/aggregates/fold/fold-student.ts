/**
 * Folding a student's new answers into its state: the answers recorded since the last fold
 * (the `recorded_key` local index, read from the root's watermark), a page at a time, each
 * page one fold step. A step writes the parts its answers concern, then the root; every
 * write is conditional, so a crash at any point, a write retried after its response was
 * lost, or two runs at once never count an answer twice or lose one:
 *
 * - a part holds `folded_to`, the last answer it holds. A part whose `folded_to` is beyond
 *   the root's watermark is a *leftover*: written by a step whose root never landed (a
 *   crash, or another run's fold still under way). A step skips, for that part, the answers
 *   it already holds, and the part's `counted` (what the root counted of it before) lets the
 *   root's word counts catch up exactly once;
 * - a step can take a leftover over only if the step's own answers reach the leftover's
 *   `folded_to`: otherwise the part holds answers beyond this step, written under another
 *   run's later cut-off, and writing it would move its `folded_to` back over answers it
 *   holds. Such a fold stops (`LeftoverAheadError`: the student stays marked for a run whose
 *   cut-off reaches it), or, when the leftover is within this run's cut-off, the student is
 *   rebuilt (`LeftoverBeyondStepError`). So two runs with different cut-offs are safe
 *   without the lease: a write from the other run's cut-off fails its condition or stops;
 * - each write is conditional on what the step read (a part's `folded_to`, the root's
 *   `version`): a concurrent fold makes it fail, and the student is folded again from the
 *   fresh state; a root write whose response was lost is recognised by its `fold_token`;
 * - before it writes, a step asks `beforeWrite` (the run's batch guard: the student's mark
 *   is still the one read before the answers were): a batch marked since may have answers
 *   in what the step read and others still in flight (`batch-guard.ts`).
 */
import pMap from 'p-map';
import {
  type FoldTarget,
  foldAnswer,
  pruneDays,
  settleWords,
  withWordChange,
  wordContribution,
} from '../../../domain/progress/fold/fold.ts';
import {
  emptyWordStats,
  type RootState,
  type WordStats,
} from '../../../domain/progress/fold/state.ts';
import type { MemoryModel } from '../../../domain/review/card.ts';
import {
  modulePart,
  ROOT_PART,
  type StateModule,
  type StateRoot,
  type StateWord,
  wordPart,
} from '../../../entities/student-state.ts';
import { LmsError } from '../../../errors.ts';
import { when } from '../../../repositories/condition.ts';
import type { Db } from '../../../repositories/db.ts';
import { ConditionFailedError, type InvalidStoredItemError } from '../../../repositories/errors.ts';
import type { SortKeyCondition } from '../../../repositories/repository.ts';
import {
  moduleWordsOf,
  readModule,
  readRoot,
  readWord,
  rootState,
  storedModule,
  storedRoot,
  storedWord,
  wordStatsOf,
} from './parts.ts';
import { validAnswerPages } from './valid-answers.ts';

/** Another fold of the same student wrote first; this one starts again from the new state. */
export class FoldConflictError extends LmsError {
  readonly code = 'FOLD_CONFLICT';
}

/**
 * A part holds answers beyond this run's cut-off, written by a fold of another run (with a
 * later clock) whose root has not landed: this run leaves the student marked.
 */
export class LeftoverAheadError extends LmsError {
  readonly code = 'FOLD_LEFTOVER_AHEAD';
}

/**
 * A part holds answers within this run's cut-off but beyond what this step read (a leftover
 * of a fold with other page bounds): the student is rebuilt from its answers instead.
 */
export class LeftoverBeyondStepError extends LmsError {
  readonly code = 'FOLD_LEFTOVER_BEYOND_STEP';
}

/** Parts written at once per student. */
const PART_WRITES = 8;

export interface FoldContext {
  readonly db: Db;
  readonly timeZone: string;
  /** The model of the word parts' memory cards (its `retention` is stored in the root). */
  readonly model: MemoryModel;
  /** The day of the run in `timeZone`: days `daily` can no longer show are dropped. */
  readonly today: string;
  /**
   * The last `recorded_key` a run folds (inclusive): answers recorded later may still have
   * company in flight, see `settledKey` in `../marks.ts`.
   */
  readonly settledKey: string;
  /** Answers per fold step: what one student holds in memory at once. */
  readonly pageSize: number;
  readonly newToken: () => string;
  /** Compute as usual, write nothing. */
  readonly dryRun: boolean;
  /**
   * Called before a fold writes anything (after it read the answers): throws if what the
   * fold read can no longer be trusted (the run's batch guard, `batch-guard.ts`).
   */
  readonly beforeWrite?: () => Promise<void>;
  /** An answer that does not validate: left out of the figures, reported here. */
  readonly onInvalidAnswer: (error: InvalidStoredItemError) => void;
}

/** The state after a fold, for the figures. */
export interface FoldedState {
  readonly root: StateRoot;
  readonly state: RootState;
  /** The words of every module folded into by this run (module id → word → stats). */
  readonly modules: ReadonlyMap<string, ReadonlyMap<string, WordStats>>;
  readonly answersRead: number;
}

const partKey = (studentId: string, part: string) => ({ student_id: studentId, part });

/** Parts read or written by this fold, by module id and word; `undefined`: read, not stored. */
interface PartCache {
  readonly modules: Map<string, StateModule | undefined>;
  readonly words: Map<string, StateWord | undefined>;
}

/**
 * Whether a part holds answers the root has not folded: its writer's root never landed.
 * Judged by the answers themselves (`folded_to` against the watermark), not by version
 * numbers, which two folds of different runs can both claim.
 */
export const isLeftover = (
  part: { readonly folded_to: string },
  root: { readonly watermark: string },
): boolean => part.folded_to > root.watermark;

/** Reads the root consistently; undefined when the student has none yet. */
export const findRoot = async (db: Db, studentId: string): Promise<StateRoot | undefined> => {
  const item = await db.student_state.find(partKey(studentId, ROOT_PART), { consistent: true });
  return item === undefined ? undefined : readRoot(item);
};

/**
 * Folds what was recorded since the root's watermark. The root must exist (a student
 * without one is rebuilt instead, `rebuild-student.ts`).
 *
 * @example
 * ```ts
 * const folded = await foldNewAnswers(context, root, { progressFoldVersion: 3 });
 * ```
 */
export const foldNewAnswers = async (
  context: FoldContext,
  root: StateRoot,
  progress: { readonly foldVersion: number | undefined },
): Promise<FoldedState> => {
  const { db } = context;
  const studentId = root.student_id;
  let current = root;
  let state = rootState(root);
  const modules = new Map<string, Map<string, WordStats>>();
  let answersRead = 0;
  // Parts read or written by earlier steps of this fold: read once, and the condition of
  // the next write is what this fold wrote (a dry run, which writes nothing, reads its own).
  const cache: PartCache = { modules: new Map(), words: new Map() };
  // Another run, with a later clock, folded past this run's settled key: nothing here is
  // this run's to fold (and `between` would reject bounds in that order).
  if (root.watermark > context.settledKey) return { root, state, modules, answersRead };
  // Key conditions cannot exclude a bound: `between` includes the watermark, filtered below.
  const sortKey: SortKeyCondition =
    root.watermark === ''
      ? { lte: context.settledKey }
      : { between: [root.watermark, context.settledKey] };
  // The stored progress holds the figures of every module the root had folded into when
  // it was written at `foldVersion`; otherwise the root's pending ones are due too.
  const pendingBefore = () =>
    progress.foldVersion === root.version && current === root ? [] : current.pending_modules;
  let skipped = 0;
  for await (const page of validAnswerPages(
    db,
    studentId,
    { index: 'recorded_key', sortKey, pageSize: context.pageSize },
    context.onInvalidAnswer,
  )) {
    answersRead += page.answers.length + page.skipped;
    skipped += page.skipped;
    // `between` includes the watermark itself: the last answer already folded.
    const answers = page.answers.filter(
      (answer): answer is typeof answer & { recorded_key: string } =>
        answer.recorded_key !== undefined && answer.recorded_key !== current.watermark,
    );
    if (answers.length === 0) continue;
    const step = await foldStep(context, current, state, answers, cache, {
      pendingBefore: pendingBefore(),
    });
    current = step.root;
    state = step.state;
    for (const [moduleId, words] of step.modules) modules.set(moduleId, words);
  }
  if (skipped > 0) {
    // An answer left out is passed all the same, or every later fold would read it again.
    // Its key is unknown (it did not validate), but everything up to the settled key has
    // been read: the watermark moves there, as a rebuild's does.
    const step = await foldStep(context, current, state, [], cache, {
      pendingBefore: pendingBefore(),
      through: context.settledKey,
    });
    current = step.root;
    state = step.state;
  }
  return { root: current, state, modules, answersRead };
};

interface StepResult {
  readonly root: StateRoot;
  readonly state: RootState;
  readonly modules: Map<string, Map<string, WordStats>>;
}

/** One fold step: load the parts of `answers`, fold, write the parts, then the root. */
const foldStep = async (
  context: FoldContext,
  root: StateRoot,
  state: RootState,
  answers: readonly (Parameters<typeof foldAnswer>[1] & { readonly recorded_key: string })[],
  cache: PartCache,
  options: {
    readonly pendingBefore: readonly string[];
    /** The watermark after the step, when answers were left out after its last one. */
    readonly through?: string;
  },
): Promise<StepResult> => {
  const { db } = context;
  const studentId = root.student_id;
  const moduleIds = [...new Set(answers.map((answer) => answer.module_id))];
  const words = [...new Set(answers.map((answer) => answer.word))];
  const unreadModules = moduleIds.filter((moduleId) => !cache.modules.has(moduleId));
  const unreadWords = words.filter((word) => !cache.words.has(word));
  if (unreadModules.length + unreadWords.length > 0) {
    for (const moduleId of unreadModules) cache.modules.set(moduleId, undefined);
    for (const word of unreadWords) cache.words.set(word, undefined);
    const items = await db.student_state.findMany(
      [...unreadModules.map(modulePart), ...unreadWords.map(wordPart)].map((part) =>
        partKey(studentId, part),
      ),
      { consistent: true },
    );
    for (const item of items) {
      if (item.part.startsWith('m#')) {
        const part = readModule(item);
        cache.modules.set(part.module_id, part);
      } else {
        const part = readWord(item);
        cache.words.set(part.word, part);
      }
    }
  }
  const storedModules = cache.modules;
  const storedWords = cache.words;

  const target: FoldTarget = {
    model: context.model,
    root: state,
    modules: new Map(),
    words: new Map(),
  };
  for (const moduleId of moduleIds) {
    target.modules.set(moduleId, moduleWordsOf(storedModules.get(moduleId)));
  }
  /** What the root, at its current version, counts of each word. */
  const counted = new Map<string, { practised: number; mastered: number }>();
  const last = options.through ?? answers.at(-1)?.recorded_key ?? root.watermark;
  // Leftovers this step cannot take over: their answers reach beyond the step's.
  for (const part of [
    ...moduleIds.map((moduleId) => storedModules.get(moduleId)),
    ...words.map((word) => storedWords.get(word)),
  ]) {
    if (part === undefined || !isLeftover(part, root) || part.folded_to <= last) continue;
    if (part.folded_to > context.settledKey) {
      throw new LeftoverAheadError(
        `student ${studentId}: part ${part.part} holds answers up to ${part.folded_to}, beyond this run's cut-off ${context.settledKey}; left for a later run`,
      );
    }
    throw new LeftoverBeyondStepError(
      `student ${studentId}: part ${part.part} holds answers up to ${part.folded_to}, beyond this step's last ${last}`,
    );
  }
  for (const word of words) {
    const part = storedWords.get(word);
    const stats = wordStatsOf(part);
    const now = wordContribution(stats);
    if (part !== undefined && isLeftover(part, root)) {
      // Written by a step whose root write never landed: the root still counts the word
      // as it was before that step, so it catches up on that step's change now.
      const [practised, mastered] = part.counted;
      counted.set(word, { practised, mastered });
      target.root = withWordChange(target.root, { practised, mastered }, now);
    } else {
      counted.set(word, now);
    }
    if (stats !== undefined) target.words.set(word, stats);
  }

  for (const answer of answers) {
    foldAnswer(target, answer, context.timeZone, {
      root: true,
      module: answer.recorded_key > (storedModules.get(answer.module_id)?.folded_to ?? ''),
      word: answer.recorded_key > (storedWords.get(answer.word)?.folded_to ?? ''),
    });
  }
  // Cards a late answer changed are replayed once here, from the word's own reviews.
  settleWords(target, words, context.timeZone);
  const folded = pruneDays(target.root, context.today);
  const version = root.version + 1;
  const written = { folded_to: last, root_version: version };

  const conditional = (previous: { readonly folded_to: string } | undefined) =>
    previous === undefined ? when.absent('part') : when.equals('folded_to', previous.folded_to);
  const write = async (
    item: StateModule | StateWord,
    previous: { readonly folded_to: string } | undefined,
  ) => {
    if (!context.dryRun) await db.student_state.put(item, { condition: conditional(previous) });
  };
  const writes = [
    ...moduleIds.map((moduleId) => async () => {
      const item = storedModule(
        studentId,
        moduleId,
        target.modules.get(moduleId) ?? new Map(),
        written,
      );
      await write(item, storedModules.get(moduleId));
      cache.modules.set(moduleId, item);
    }),
    ...words.map((word) => async () => {
      const item = storedWord(
        studentId,
        word,
        target.words.get(word) ?? emptyWordStats(),
        counted.get(word) ?? { practised: 0, mastered: 0 },
        written,
      );
      await write(item, storedWords.get(word));
      cache.words.set(word, item);
    }),
  ];
  if (!context.dryRun) await context.beforeWrite?.();
  try {
    await pMap(writes, (run) => run(), { concurrency: PART_WRITES });
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw new FoldConflictError(`student ${studentId}: a part changed during the fold`, {
        cause: error,
      });
    }
    throw error;
  }

  const next = storedRoot(studentId, folded, {
    ...written,
    version,
    watermark: last,
    fold_token: context.newToken(),
    time_zone: context.timeZone,
    review_retention: context.model.retention,
    pending_modules: [...new Set([...options.pendingBefore, ...moduleIds])],
  });
  if (!context.dryRun) await writeRoot(db, next, root.version);
  return { root: next, state: folded, modules: target.modules };
};

/**
 * Writes a root if the stored one still has `expectedVersion` (or none exists, for 0). A
 * retried write whose first try landed fails its condition; reading back our own token
 * tells that apart from another fold's write.
 */
export const writeRoot = async (
  db: Db,
  root: StateRoot,
  /** `undefined`: no root may exist; `'replace'`: whatever is stored (it could not be read). */
  expectedVersion: number | undefined | 'replace',
): Promise<void> => {
  try {
    if (expectedVersion === 'replace') {
      await db.student_state.put(root);
      return;
    }
    await db.student_state.put(root, {
      condition:
        expectedVersion === undefined
          ? when.absent('part')
          : when.equals('version', expectedVersion),
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const stored = await findRoot(db, root.student_id);
    if (stored?.fold_token === root.fold_token) return;
    throw new FoldConflictError(`student ${root.student_id}: the root changed during the fold`, {
      cause: error,
    });
  }
};
