/**
 * DESIGN section 4 written the naive way, as an oracle independent of the code under
 * test: its own local-date conversion (Intl parts), its own day arithmetic (UTC noon),
 * its own sort, a filter per figure. Slow and obvious on purpose. The review figures
 * replay each word's cards with `ts-fsrs` itself, as DESIGN words it.
 */
import { type Card, createEmptyCard, fsrs, Rating } from 'ts-fsrs';

export interface RawAnswer {
  readonly student_id: string;
  readonly answer_id: string;
  readonly module_id: string;
  readonly word: string;
  readonly correct: boolean;
  readonly answered_at: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const dayOf = (instant: string, timeZone: string): string => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '??';
  return `${part('year')}-${part('month')}-${part('day')}`;
};

/** `n` calendar days before `day` (negative: after). */
const daysBefore = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T12:00:00.000Z`) - n * 86_400_000).toISOString().slice(0, 10);

const lastDays = (today: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => daysBefore(today, i));

const ratio = (correct: number, attempts: number) => (attempts === 0 ? null : correct / attempts);

const inOrder = (answers: readonly RawAnswer[]) =>
  [...answers].sort((a, b) => {
    const ta = new Date(a.answered_at).getTime();
    const tb = new Date(b.answered_at).getTime();
    if (ta !== tb) return ta - tb;
    return a.answer_id < b.answer_id ? -1 : a.answer_id > b.answer_id ? 1 : 0;
  });

const words = (answers: readonly RawAnswer[]) => {
  const distinct = [...new Set(answers.map((a) => a.word))];
  const mastered = distinct.filter((word) => {
    const attempts = inOrder(answers.filter((a) => a.word === word));
    return attempts.length >= 3 && attempts.slice(-3).every((a) => a.correct);
  });
  return { practised: distinct.length, mastered: mastered.length };
};

const streak = (answers: readonly RawAnswer[], today: string, timeZone: string) => {
  const active = new Set(answers.map((a) => dayOf(a.answered_at, timeZone)));
  let day = active.has(today) ? today : daysBefore(today, 1);
  let n = 0;
  while (active.has(day)) {
    n += 1;
    day = daysBefore(day, 1);
  }
  return n;
};

const lastActive = (answers: readonly RawAnswer[]) =>
  answers.length === 0
    ? null
    : new Date(Math.max(...answers.map((a) => new Date(a.answered_at).getTime()))).toISOString();

/** Each word's card as DESIGN defines it: the first attempt of each day, replayed. */
export const expectedCards = (answers: readonly RawAnswer[], timeZone: string, retention = 0.9) => {
  const scheduler = fsrs({
    request_retention: retention,
    enable_fuzz: false,
    enable_short_term: false,
  });
  const cards = new Map<string, { card: Card; reviews: number }>();
  for (const word of new Set(answers.map((a) => a.word))) {
    const firsts = new Map<string, RawAnswer>();
    for (const answer of inOrder(answers.filter((a) => a.word === word))) {
      const day = dayOf(answer.answered_at, timeZone);
      if (!firsts.has(day)) firsts.set(day, answer);
    }
    const reviews = [...firsts.values()];
    let card: Card = createEmptyCard(new Date(reviews[0]?.answered_at ?? 0));
    for (const review of reviews) {
      card = scheduler.next(
        card,
        new Date(review.answered_at),
        review.correct ? Rating.Good : Rating.Again,
      ).card;
    }
    cards.set(word, { card, reviews: reviews.length });
  }
  return cards;
};

/** The `student_progress` item of a student (without `updated_at`). */
export const expectedProgress = (
  studentId: string,
  allAnswers: readonly RawAnswer[],
  modules: ReadonlyMap<string, readonly string[]>,
  today: string,
  timeZone: string,
) => {
  const answers = allAnswers.filter((a) => a.student_id === studentId);
  const correct = answers.filter((a) => a.correct).length;
  const daily: Record<string, { attempts: number; correct: number }> = {};
  for (const day of lastDays(today, 30)) {
    const on = answers.filter((a) => dayOf(a.answered_at, timeZone) === day);
    if (on.length > 0)
      daily[day] = { attempts: on.length, correct: on.filter((a) => a.correct).length };
  }
  const dueDays = new Map(
    [...expectedCards(answers, timeZone)].map(([word, { card }]) => [
      word,
      dayOf(card.due.toISOString(), timeZone),
    ]),
  );
  const dueWords = [...dueDays].filter(([, day]) => day <= today).map(([word]) => word);
  const later = [...dueDays.values()].filter((day) => day > today).sort();
  const moduleFigures: Record<string, unknown> = {};
  for (const moduleId of new Set(answers.map((a) => a.module_id))) {
    const list = modules.get(moduleId);
    const counted = answers.filter(
      (a) => a.module_id === moduleId && (list === undefined || list.includes(a.word)),
    );
    const c = counted.filter((a) => a.correct).length;
    const w = words(counted);
    moduleFigures[moduleId] = {
      attempts: counted.length,
      correct: c,
      accuracy: ratio(c, counted.length),
      words_practised: w.practised,
      words_mastered: w.mastered,
      words_total: list === undefined ? null : list.length,
      words_due:
        list === undefined
          ? dueWords.filter((word) =>
              answers.some((a) => a.module_id === moduleId && a.word === word),
            ).length
          : new Set(list.filter((word) => dueWords.includes(word))).size,
    };
  }
  const w = words(answers);
  return {
    student_id: studentId,
    attempts: answers.length,
    correct,
    accuracy: ratio(correct, answers.length),
    words_practised: w.practised,
    words_mastered: w.mastered,
    last_active_at: lastActive(answers),
    streak_days: streak(answers, today, timeZone),
    daily,
    modules: moduleFigures,
    words_due: dueWords.length,
    due_words: [...dueWords].sort(),
    practised_words: [...dueDays.keys()].sort(),
    next_due_day: later[0] ?? null,
  };
};

/** The `parent_summaries` item of a parent (without `updated_at`), from the raw answers. */
export const expectedSummary = (
  parent: { readonly id: string; readonly student_ids: readonly string[] },
  students: readonly { readonly id: string; readonly name: string; readonly class_code?: string }[],
  allAnswers: readonly RawAnswer[],
  today: string,
  timeZone: string,
) => {
  const week = new Set(lastDays(today, 7));
  const children = students
    .filter((s) => parent.student_ids.includes(s.id))
    .sort((a, b) =>
      a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    )
    .map((s) => {
      const answers = allAnswers.filter((a) => a.student_id === s.id);
      const recent = answers.filter((a) => week.has(dayOf(a.answered_at, timeZone)));
      const c = recent.filter((a) => a.correct).length;
      return {
        student_id: s.id,
        name: s.name,
        class_code: s.class_code ?? null,
        attempts_7d: recent.length,
        correct_7d: c,
        accuracy_7d: ratio(c, recent.length),
        words_mastered: words(answers).mastered,
        streak_days: streak(answers, today, timeZone),
        last_active_at: lastActive(answers),
      };
    });
  return { parent_id: parent.id, children };
};
