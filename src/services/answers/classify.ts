/**
 * Sorting a valid batch into new answers, duplicates (client retries) and conflicts, from
 * what is already stored under the same identities. Pure: the reads happen before, the
 * writes after, and nothing is written unless there is no conflict.
 */
import { type AnswerContent, sameAnswerContent } from '../../domain/answers/same-content.ts';
import { answerKey } from '../../entities/answer.ts';
import { textKey } from '../../lib/text-key.ts';
import type { AnswerConflict } from './errors.ts';
import type { ValidAnswer } from './validate.ts';

/** A stored answer as far as the comparison needs it. */
export interface StoredAnswerContent extends AnswerContent {
  readonly student_id: string;
  readonly answer_key: string;
}

export interface Classification {
  /** Answers to store: new identities, each once, in batch order. */
  readonly fresh: readonly ValidAnswer[];
  /** Answers already stored with the same content, or repeated within the batch. */
  readonly duplicates: number;
  readonly conflicts: readonly AnswerConflict[];
}

/**
 * The identity of an answer, as one string: the table's primary key.
 *
 * @example
 * ```ts
 * answerIdentity({ student_id: 's-1', answer_key: 'm-1#a-1' });
 * ```
 */
export const answerIdentity = (key: {
  readonly student_id: string;
  readonly answer_key: string;
}): string => textKey([key.student_id, key.answer_key]);

/**
 * The primary key of a valid answer.
 *
 * @example
 * ```ts
 * keyOf({ student_id: 's-1', module_id: 'm-1', answer_id: 'a-1', ... }); // { student_id: 's-1', answer_key: 'm-1#a-1' }
 * ```
 */
export const keyOf = (answer: ValidAnswer): { student_id: string; answer_key: string } => ({
  student_id: answer.student_id,
  answer_key: answerKey(answer.module_id, answer.answer_id),
});

/**
 * Classifies a batch against the stored answers with the same identities. Within the
 * batch, the first answer of an identity is compared with the stored one, and any later
 * one with that first one.
 *
 * @example
 * ```ts
 * const { fresh, duplicates, conflicts } = classifyAnswers(batch, storedWithSameKeys);
 * ```
 */
export const classifyAnswers = (
  batch: readonly ValidAnswer[],
  stored: readonly StoredAnswerContent[],
): Classification => {
  const storedByIdentity = new Map(stored.map((answer) => [answerIdentity(answer), answer]));
  const firstInBatch = new Map<string, { readonly index: number; readonly answer: ValidAnswer }>();
  const fresh: ValidAnswer[] = [];
  const conflicts: AnswerConflict[] = [];
  let duplicates = 0;

  const conflict = (
    answer: ValidAnswer,
    index: number,
    conflictingIndex: number | null,
  ): AnswerConflict => ({
    index,
    student_id: answer.student_id,
    module_id: answer.module_id,
    answer_id: answer.answer_id,
    conflicting_index: conflictingIndex,
  });

  batch.forEach((answer, index) => {
    const identity = answerIdentity(keyOf(answer));
    const earlier = firstInBatch.get(identity);
    if (earlier !== undefined) {
      if (sameAnswerContent(answer, earlier.answer)) duplicates += 1;
      else conflicts.push(conflict(answer, index, earlier.index));
      return;
    }
    firstInBatch.set(identity, { index, answer });
    const existing = storedByIdentity.get(identity);
    if (existing === undefined) fresh.push(answer);
    else if (sameAnswerContent(answer, existing)) duplicates += 1;
    else conflicts.push(conflict(answer, index, null));
  });

  return { fresh, duplicates, conflicts };
};
