import { LmsError } from '../../errors.ts';

/** No cards are stored for the student yet: the aggregate job has not folded its answers. */
export class ReviewNotFoundError extends LmsError {
  readonly code = 'REVIEW_NOT_FOUND';

  constructor(readonly studentId: string) {
    super(
      `no review for student ${JSON.stringify(studentId)} yet: the aggregate job has not folded its answers`,
    );
  }
}
