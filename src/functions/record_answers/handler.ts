import { readJsonBody } from '../../http/body.ts';
import { createHttpHandler } from '../../http/http-handler.ts';
import { ACTIONS, assertMayAttempt } from '../../services/access/permissions.ts';
import { recordAnswers } from '../../services/answers/record-answers.ts';

/**
 * `POST /answers` (DESIGN sections 3-5): `200 { accepted, duplicates }`.
 *
 * A role that may never post is refused before the body is read; then 413 / 400 for the
 * body, 403 for an answer of another student (role `student`), 409 for a conflict.
 */
export const createHandler = createHttpHandler(
  'record_answers',
  async (request, principal, { db, now }) => {
    assertMayAttempt(principal, ACTIONS.postAnswers);
    const body = readJsonBody(request);
    return { body: await recordAnswers({ db, now }, principal, body) };
  },
);
