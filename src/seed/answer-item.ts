/**
 * The stored answer a seeded attempt becomes, whichever learners the seed simulates: its
 * duration and recording delay are drawn here, in this order, so the default seed's output
 * stays the same as before the simulated learners came.
 */
import { answerKey, recordedKey } from '../entities/answer.ts';
import type { Entity } from '../repositories/db.ts';
import type { Random } from './random.ts';

export interface SeededAttempt {
  readonly studentId: string;
  readonly moduleId: string;
  readonly word: string;
  /** The student's n-th answer (1-based): its id is `a-` and n on five digits. */
  readonly n: number;
  readonly answeredAt: number;
  readonly correct: boolean;
  /** Milliseconds a word's hardness adds to the answer's duration. */
  readonly hardnessMs: number;
}

export const answerItem = (random: Random, attempt: SeededAttempt): Entity<'answers'> => {
  const answerId = `a-${String(attempt.n).padStart(5, '0')}`;
  // One answer in twenty has no duration (the app did not send it).
  const duration = random.chance(0.95)
    ? {
        duration_ms: Math.round(
          2_000 + attempt.hardnessMs + (attempt.correct ? 0 : 1_500) + random.next() * 2_000,
        ),
      }
    : {};
  const recordedAt = new Date(attempt.answeredAt + random.int(200, 5_000)).toISOString();
  const key = answerKey(attempt.moduleId, answerId);
  return {
    student_id: attempt.studentId,
    answer_key: key,
    answer_id: answerId,
    module_id: attempt.moduleId,
    word: attempt.word,
    correct: attempt.correct,
    answered_at: new Date(attempt.answeredAt).toISOString(),
    ...duration,
    recorded_at: recordedAt,
    recorded_key: recordedKey(recordedAt, key),
  };
};
