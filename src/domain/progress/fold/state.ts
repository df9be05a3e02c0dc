/**
 * The state a student's progress is folded into, instead of being recomputed from every
 * answer (see `docs/aggregates.md`, "The fold"). It is split so that folding k new answers
 * touches only what they concern: the root (totals, days), one part per module answered
 * in (per word: attempts, correct, most recent attempts) and one part per word across
 * modules (the top-level mastery). Its size grows with the words practised and the days
 * active, never with the number of answers.
 */
import type { WordMemory } from '../../review/memory.ts';
import type { DayFigures } from '../figures.ts';
import type { DayRun } from './day-runs.ts';
import type { RecentAttempt } from './recent.ts';

/** A word's attempts in one module, or across modules. */
export interface WordStats {
  readonly attempts: number;
  readonly correct: number;
  /** The most recent attempts, oldest first (see `recent.ts`). */
  readonly recent: readonly RecentAttempt[];
  /** The word's memory (word parts only: a card is per word across modules). */
  readonly memory?: WordMemory;
}

/** When a word with a card falls due, and where it was answered: the root's review index. */
export interface WordDue {
  /** The calendar day (the root's zone) of the card's `due`. */
  readonly day: string;
  readonly module_ids: readonly string[];
}

export interface RootState {
  readonly attempts: number;
  readonly correct: number;
  readonly last_active_at: string | null;
  /** Attempts per local day, only the days `daily` may still show (see `pruneDays`). */
  readonly days: ReadonlyMap<string, DayFigures>;
  /** Every active day, as runs (see `day-runs.ts`). */
  readonly runs: readonly DayRun[];
  /** Top-level figures, kept as counts over the word parts. */
  readonly words_practised: number;
  readonly words_mastered: number;
  /** word → when it falls due, for every word with a card (kept with the word parts). */
  readonly review: ReadonlyMap<string, WordDue>;
}

/** A module's words as the student answered them (every word, listed or not). */
export type ModuleState = ReadonlyMap<string, WordStats>;

export const emptyRoot = (): RootState => ({
  attempts: 0,
  correct: 0,
  last_active_at: null,
  days: new Map(),
  runs: [],
  words_practised: 0,
  words_mastered: 0,
  review: new Map(),
});

export const emptyWordStats = (): WordStats => ({ attempts: 0, correct: 0, recent: [] });
