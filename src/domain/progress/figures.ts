/**
 * The shapes of the aggregates of DESIGN section 4 as the pure computation produces them
 * (without `updated_at`, which only a write adds). Declared here rather than taken from the
 * entity schemas so that the domain imports nothing but itself; the stored schemas accept
 * exactly these fields.
 */

/** How many days `daily` holds: the 30 days ending with the day of the run. */
export const DAILY_DAYS = 30;

/** The "7d" window of a parent's child figures: the 7 days ending with the day of the run. */
export const WINDOW_DAYS = 7;

/** What the aggregates need of a stored answer (the projection the jobs read). */
export interface ProgressAnswer {
  readonly answer_id: string;
  readonly module_id: string;
  readonly word: string;
  readonly correct: boolean;
  /** UTC instant as `toISOString()` writes it. */
  readonly answered_at: string;
}

export interface DayFigures {
  readonly attempts: number;
  readonly correct: number;
}

export interface ModuleFigures {
  readonly attempts: number;
  readonly correct: number;
  readonly accuracy: number | null;
  readonly words_practised: number;
  readonly words_mastered: number;
  /** The length of the module's current word list; null when the module record is missing. */
  readonly words_total: number | null;
  /** How many of the module's words are due on the day of the run. */
  readonly words_due: number;
}

/** A `student_progress` item without `updated_at`. */
export interface StudentFigures {
  readonly student_id: string;
  readonly attempts: number;
  readonly correct: number;
  readonly accuracy: number | null;
  readonly words_practised: number;
  readonly words_mastered: number;
  readonly last_active_at: string | null;
  readonly streak_days: number;
  /** `YYYY-MM-DD` → figures, only days with answers among the {@link DAILY_DAYS} ending today. */
  readonly daily: Readonly<Record<string, DayFigures>>;
  /** One entry for every module the student has answers in. */
  readonly modules: Readonly<Record<string, ModuleFigures>>;
  /** Words due on the day of the run (DESIGN section 4, "Review"). */
  readonly words_due: number;
  /** Those words, in code-unit order. */
  readonly due_words: readonly string[];
  /** Every word with a card, in code-unit order (what `class_review` counts). */
  readonly practised_words: readonly string[];
  /** The first day after the run's on which a word falls due; null when none will. */
  readonly next_due_day: string | null;
}

/** One child in a `parent_summaries` item. */
export interface ChildSummary {
  readonly student_id: string;
  readonly name: string;
  readonly class_code: string | null;
  readonly attempts_7d: number;
  readonly correct_7d: number;
  readonly accuracy_7d: number | null;
  readonly words_mastered: number;
  readonly streak_days: number;
  readonly last_active_at: string | null;
}

/** A `parent_summaries` item without `updated_at`. */
export interface ParentFigures {
  readonly parent_id: string;
  readonly children: readonly ChildSummary[];
}
