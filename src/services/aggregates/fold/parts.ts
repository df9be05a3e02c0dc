/**
 * The stored parts of a student's fold state (`student_state`) to and from the domain's
 * state (`domain/progress/fold/state.ts`). Every part read is validated by the schema of
 * its kind; one that fails is reported and the student is rebuilt from its answers.
 */
import type * as z from 'zod';
import type { RecentAttempt } from '../../../domain/progress/fold/recent.ts';
import {
  emptyRoot,
  type RootState,
  type WordDue,
  type WordStats,
} from '../../../domain/progress/fold/state.ts';
import type { MemoryCard } from '../../../domain/review/card.ts';
import { historyOf, reviewsOf, type WordMemory } from '../../../domain/review/memory.ts';
import {
  modulePart,
  ROOT_PART,
  type StateModule,
  type StateRoot,
  type StateWord,
  type StoredCard,
  type StudentStateItem,
  stateModuleSchema,
  stateRootSchema,
  stateWordSchema,
  wordPart,
} from '../../../entities/student-state.ts';
import { LmsError } from '../../../errors.ts';
import { describeIssues, zodIssues } from '../../../lib/zod-issues.ts';
import { cardOf } from '../../review/stored-card.ts';

/** A stored part that does not read as its kind: the student's state is rebuilt. */
export class InvalidStatePartError extends LmsError {
  readonly code = 'INVALID_STATE_PART';
}

const parse = <S extends z.ZodType>(schema: S, item: StudentStateItem): z.output<S> => {
  const result = schema.safeParse(item);
  if (!result.success) {
    throw new InvalidStatePartError(
      `student_state ${item.student_id}/${item.part}: ${describeIssues(zodIssues(result.error), '(part)')}`,
    );
  }
  return result.data;
};

export const readRoot = (item: StudentStateItem): StateRoot => parse(stateRootSchema, item);
export const readModule = (item: StudentStateItem): StateModule => parse(stateModuleSchema, item);
export const readWord = (item: StudentStateItem): StateWord => parse(stateWordSchema, item);

const recentOf = (stored: readonly (readonly [string, string, boolean])[]): RecentAttempt[] =>
  stored.map(([at, id, ok]) => ({ at, id, ok }));
const storedRecent = (recent: readonly RecentAttempt[]): [string, string, boolean][] =>
  recent.map((attempt) => [attempt.at, attempt.id, attempt.ok]);

const storedCard = (card: MemoryCard): StoredCard => ({
  ...card,
  due: new Date(card.due).toISOString(),
  last_review: card.last_review === null ? null : new Date(card.last_review).toISOString(),
});

const memoryOf = (part: StateWord): WordMemory => ({
  // Packed as stored (the entity schema checked each), held as one string per word.
  history: historyOf(part.reviews),
  card: part.card === null ? null : cardOf(part.card),
  module_ids: part.module_ids,
});

/**
 * A memory as stored. Its card must be settled (`settleWords`): a pending replay is never
 * written, so a stored card always matches its reviews.
 */
const storedMemory = (
  memory: WordMemory | undefined,
): Pick<StateWord, 'reviews' | 'card' | 'module_ids'> => {
  if (memory !== undefined && memory.card === null && memory.history !== '') {
    throw new Error('a word memory was about to be stored before its card was replayed');
  }
  return {
    reviews: reviewsOf(memory?.history ?? ''),
    card: memory?.card === undefined || memory.card === null ? null : storedCard(memory.card),
    module_ids: [...(memory?.module_ids ?? [])],
  };
};

export const rootState = (root: StateRoot | undefined): RootState =>
  root === undefined
    ? emptyRoot()
    : {
        attempts: root.attempts,
        correct: root.correct,
        last_active_at: root.last_active_at,
        days: new Map(
          Object.entries(root.days).map(([day, [attempts, correct]]) => [
            day,
            { attempts, correct },
          ]),
        ),
        runs: root.runs,
        words_practised: root.words_practised,
        words_mastered: root.words_mastered,
        review: new Map<string, WordDue>(
          root.review.map(([word, day, module_ids]) => [word, { day, module_ids }]),
        ),
      };

/** The bookkeeping of a fold write: see `fold-student.ts`. */
export interface Written {
  readonly folded_to: string;
  readonly root_version: number;
}

export const storedRoot = (
  studentId: string,
  state: RootState,
  fields: Written & {
    readonly version: number;
    readonly watermark: string;
    readonly fold_token: string;
    readonly time_zone: string;
    readonly review_retention: number;
    readonly pending_modules: readonly string[];
  },
): StateRoot => ({
  student_id: studentId,
  part: ROOT_PART,
  ...fields,
  pending_modules: [...fields.pending_modules],
  attempts: state.attempts,
  correct: state.correct,
  last_active_at: state.last_active_at,
  days: Object.fromEntries([...state.days].map(([day, f]) => [day, [f.attempts, f.correct]])),
  runs: state.runs.map(([first, last]) => [first, last]),
  words_practised: state.words_practised,
  words_mastered: state.words_mastered,
  review: [...state.review].map(([word, due]) => [word, due.day, [...due.module_ids]]),
});

export const moduleWordsOf = (part: StateModule | undefined): Map<string, WordStats> =>
  new Map(
    (part?.words ?? []).map(([word, attempts, correct, recent]) => [
      word,
      { attempts, correct, recent: recentOf(recent) },
    ]),
  );

export const storedModule = (
  studentId: string,
  moduleId: string,
  words: ReadonlyMap<string, WordStats>,
  written: Written,
): StateModule => ({
  student_id: studentId,
  part: modulePart(moduleId),
  module_id: moduleId,
  ...written,
  words: [...words].map(([word, stats]) => [
    word,
    stats.attempts,
    stats.correct,
    storedRecent(stats.recent),
  ]),
});

export const wordStatsOf = (part: StateWord | undefined): WordStats | undefined =>
  part === undefined
    ? undefined
    : {
        attempts: part.attempts,
        correct: part.correct,
        recent: recentOf(part.recent),
        memory: memoryOf(part),
      };

export const storedWord = (
  studentId: string,
  word: string,
  stats: WordStats,
  counted: { readonly practised: number; readonly mastered: number },
  written: Written,
): StateWord => ({
  student_id: studentId,
  part: wordPart(word),
  word,
  ...written,
  attempts: stats.attempts,
  correct: stats.correct,
  recent: storedRecent(stats.recent),
  ...storedMemory(stats.memory),
  counted: [counted.practised, counted.mastered],
});
