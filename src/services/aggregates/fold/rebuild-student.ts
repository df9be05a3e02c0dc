/**
 * Rebuilding a student's state from its raw answers: `{"mode":"full"}`, the repair path,
 * and the first fold of a student without a (valid) state. Answers are streamed a page at a
 * time into the state, whose size is bounded by the words and days, so no history is held
 * whole. A rebuild that writes first *claims* the root (a conditional write of the
 * root as it was, one version up, with `rebuilding`), then writes the parts, then the new
 * root over its claim. The claim is what makes a rebuild safe beside another fold of the
 * student (another run, another cut-off): no fold that read the root before the claim can
 * land its root after it, and every fold that reads the claim rebuilds instead of folding
 * onto half-written parts. A crash after the claim leaves it in place: the next fold
 * rebuilds. Each part says what the new root counts of it (`counted`), so a part another
 * fold writes over it meanwhile is a correct leftover of the new root (see
 * `fold-student.ts`).
 */
import {
  type FoldTarget,
  foldAnswer,
  pruneDays,
  settleWords,
  wordContribution,
} from '../../../domain/progress/fold/fold.ts';
import { emptyRoot, type RootState } from '../../../domain/progress/fold/state.ts';
import { sameValue } from '../../../domain/progress/same-figures.ts';
import {
  ROOT_PART,
  type StateModule,
  type StateRoot,
  type StateWord,
} from '../../../entities/student-state.ts';
import { chunk } from '../../../lib/chunk.ts';
import type { Db } from '../../../repositories/db.ts';
import { type FoldContext, type FoldedState, isLeftover, writeRoot } from './fold-student.ts';
import {
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

/** Parts built and written at once by a rebuild (four of DynamoDB's batches). */
const PARTS_PER_WRITE = 100;

/**
 * @example
 * ```ts
 * const rebuilt = await rebuildStudent(context, 's-1');
 * rebuilt.root.watermark; // the settled key: later answers are folded incrementally
 * ```
 */
export const rebuildStudent = async (
  context: FoldContext,
  studentId: string,
): Promise<FoldedState> => {
  const { db } = context;
  // What is stored now: the old root's version and what it counted of each word.
  const old = await readExisting(db, studentId);

  const target: FoldTarget = {
    model: context.model,
    root: emptyRoot(),
    modules: new Map(),
    words: new Map(),
  };
  let answersRead = 0;
  for await (const page of validAnswerPages(
    db,
    studentId,
    { pageSize: context.pageSize },
    context.onInvalidAnswer,
  )) {
    answersRead += page.answers.length + page.skipped;
    for (const answer of page.answers) {
      // Answers stored before `recorded_key` existed are old: they count. Newer ones count
      // once settled; the rest are the next fold's, from this root's watermark on.
      if (answer.recorded_key !== undefined && answer.recorded_key > context.settledKey) continue;
      foldAnswer(target, answer, context.timeZone);
    }
  }
  // Answers come in key order, not time order: each card is replayed once, here.
  settleWords(target, [...target.words.keys()], context.timeZone);
  const state = pruneDays(target.root, context.today);
  if (old.root !== undefined && sameState(context, old, studentId, state, target)) {
    // What is stored is what the answers give: a repair with nothing to repair writes nothing.
    return {
      root: old.root,
      state: rootState(old.root),
      modules: target.modules,
      answersRead,
    };
  }
  const claimed = (old.root?.version ?? 0) + 1;
  const version = claimed + 1;
  const written = { folded_to: context.settledKey, root_version: version };
  if (!context.dryRun) {
    await context.beforeWrite?.();
    await writeRoot(
      db,
      claimOf(old.root, studentId, claimed, context),
      old.unreadableRoot ? 'replace' : old.root?.version,
    );
  }

  // Parts of the old state with no answer now (answers deleted) are written empty, so that
  // nothing of them is counted any more.
  for (const moduleId of old.modules.keys())
    if (!target.modules.has(moduleId)) target.modules.set(moduleId, new Map());
  for (const word of old.counted.keys()) {
    if (!target.words.has(word)) target.words.set(word, { attempts: 0, correct: 0, recent: [] });
  }
  // Unconditional (the root, written last and conditionally, decides), so in batches of 25;
  // each part's stored form built only when its group is written: a word's reviews as a
  // list are the bulk of a large state, and every part's at once doubled the heap.
  const parts = [
    ...[...target.modules].map(
      ([moduleId, words]) =>
        () =>
          storedModule(studentId, moduleId, words, written),
    ),
    ...[...target.words].map(
      ([word, stats]) =>
        () =>
          storedWord(studentId, word, stats, wordContribution(stats), written),
    ),
  ];
  if (!context.dryRun) {
    for (const group of chunk(parts, PARTS_PER_WRITE)) {
      await db.student_state.putMany(group.map((build) => build()));
    }
  }

  const root: StateRoot = storedRoot(studentId, state, {
    ...written,
    version,
    watermark: context.settledKey,
    fold_token: context.newToken(),
    time_zone: context.timeZone,
    review_retention: context.model.retention,
    pending_modules: [...target.modules.keys()],
  });
  if (!context.dryRun) await writeRoot(db, root, claimed);
  return { root, state, modules: target.modules, answersRead };
};

/**
 * The claim of a rebuild: the stored root as it was (or an empty one), one version up,
 * with `rebuilding`. Its figures stay those of the old root until the rebuild lands.
 */
const claimOf = (
  old: StateRoot | undefined,
  studentId: string,
  version: number,
  context: FoldContext,
): StateRoot => {
  const token = context.newToken();
  const base =
    old ??
    storedRoot(studentId, emptyRoot(), {
      folded_to: '',
      root_version: version,
      version,
      watermark: '',
      fold_token: token,
      time_zone: context.timeZone,
      review_retention: context.model.retention,
      pending_modules: [],
    });
  return { ...base, version, fold_token: token, rebuilding: token };
};

interface Existing {
  readonly root: StateRoot | undefined;
  /** A root is stored but does not read as one: the rebuild replaces it. */
  readonly unreadableRoot: boolean;
  readonly modules: Map<string, StateModule>;
  readonly words: Map<string, StateWord>;
  /** Some part could not be read: the state cannot be kept as it is. */
  readonly unreadable: boolean;
  /** word → what the old root counted of it. */
  readonly counted: Map<string, { practised: number; mastered: number }>;
}

/** The stored parts of a student, read a page at a time; invalid ones count as absent. */
const readExisting = async (db: Db, studentId: string): Promise<Existing> => {
  let root: StateRoot | undefined;
  let unreadableRoot = false;
  let unreadable = false;
  const words = new Map<string, StateWord>();
  const modules = new Map<string, StateModule>();
  for await (const page of db.student_state.pages(
    { student_id: studentId },
    { consistent: true },
  )) {
    for (const item of page) {
      try {
        if (item.part === ROOT_PART) root = readRoot(item);
        else if (item.part.startsWith('m#')) {
          const part = readModule(item);
          modules.set(part.module_id, part);
        } else {
          const part = readWord(item);
          words.set(part.word, part);
        }
      } catch {
        // An unreadable part is rewritten by the rebuild (if it still has answers) or left.
        unreadable = true;
        if (item.part === ROOT_PART) unreadableRoot = true;
      }
    }
  }
  const counted = new Map<string, { practised: number; mastered: number }>();
  for (const part of words.values()) {
    if (root !== undefined && isLeftover(part, root)) {
      const [practised, mastered] = part.counted;
      counted.set(part.word, { practised, mastered });
    } else if (root !== undefined) {
      counted.set(part.word, wordContribution(wordStatsOf(part)));
    } else {
      // No root: nothing was counted.
      counted.set(part.word, { practised: 0, mastered: 0 });
    }
  }
  return { root, unreadableRoot, unreadable, modules, words, counted };
};

/** Whether the stored state holds exactly the rebuilt one, its bookkeeping consistent. */
const sameState = (
  context: FoldContext,
  old: Existing,
  studentId: string,
  state: RootState,
  target: FoldTarget,
): boolean => {
  const root = old.root;
  if (root === undefined || old.unreadable || root.rebuilding !== undefined) return false;
  // A part the root has not caught up with, or pending work: let the rebuild settle it.
  const caughtUp = (part: { readonly folded_to: string }) => !isLeftover(part, root);
  if (![...old.modules.values()].every(caughtUp) || ![...old.words.values()].every(caughtUp)) {
    return false;
  }
  if (old.modules.size !== target.modules.size || old.words.size !== target.words.size)
    return false;
  const content = (item: object) => {
    const {
      folded_to: _f,
      root_version: _r,
      counted: _c,
      ...rest
    } = item as Record<string, unknown>;
    return rest;
  };
  const bookkeeping = { folded_to: '', root_version: 0 };
  for (const [moduleId, words] of target.modules) {
    const stored = old.modules.get(moduleId);
    if (stored === undefined) return false;
    if (
      !sameValue(content(stored), content(storedModule(studentId, moduleId, words, bookkeeping)))
    ) {
      return false;
    }
  }
  for (const [word, stats] of target.words) {
    const stored = old.words.get(word);
    if (stored === undefined) return false;
    const rebuilt = storedWord(studentId, word, stats, { practised: 0, mastered: 0 }, bookkeeping);
    if (!sameValue(content(stored), content(rebuilt))) return false;
  }
  if (root.review_retention !== context.model.retention) return false;
  const stateOf = (value: RootState) => ({
    ...value,
    days: Object.fromEntries(value.days),
    review: [...value.review],
  });
  return sameValue(stateOf(rootState(root)), stateOf(state));
};
