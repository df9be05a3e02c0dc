/** A stored card (`entities/student-state.ts`) as the domain's {@link MemoryCard}. */
import type { MemoryCard } from '../../domain/review/card.ts';
import type { StoredCard } from '../../entities/student-state.ts';

export const cardOf = (card: StoredCard): MemoryCard => ({
  ...card,
  due: Date.parse(card.due),
  last_review: card.last_review === null ? null : Date.parse(card.last_review),
});
