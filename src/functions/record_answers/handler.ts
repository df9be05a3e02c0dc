import { LmsError } from '../../errors.ts';
import { readJsonBody } from '../../http/body.ts';
import { isClientErrorCode } from '../../http/error-reply.ts';
import { createHttpHandler } from '../../http/http-handler.ts';
import { ACTIONS, assertMayAttempt } from '../../services/access/permissions.ts';
import { recordAnswers } from '../../services/answers/record-answers.ts';

/** The answers a body carries, whatever else is wrong with it (0 when it has no list). */
const answersIn = (body: unknown): number =>
  typeof body === 'object' && body !== null && 'answers' in body && Array.isArray(body.answers)
    ? body.answers.length
    : 0;

/**
 * `POST /answers` (DESIGN sections 3-5): `200 { accepted, duplicates }`.
 *
 * A role that may never post is refused before the body is read; then 413 / 400 for the
 * body, 403 for an answer of another student (role `student`), 409 for a conflict.
 *
 * Metrics: `AnswersAccepted` and `AnswersDuplicate` of every 200; for a refused request
 * (4xx), `AnswerRequestsRejected` 1 and `AnswersRejected` its answers, by error `code`
 * (a refused batch stores nothing, so all its answers are rejected). A 500 is not counted
 * here: the ERROR log line and the API's 5xx alarm watch those.
 */
export const createHandler = createHttpHandler(
  'record_answers',
  async (request, principal, { db, now, metrics, logger, config }) => {
    let answers = 0;
    try {
      assertMayAttempt(principal, ACTIONS.postAnswers);
      const body = readJsonBody(request);
      answers = answersIn(body);
      const result = await recordAnswers(
        {
          db,
          now,
          answersPerStudentPerMinute: config.answersPerStudentPerMinute,
          onRebuildRequested: (students) =>
            logger.warn(
              'a run took this request for abandoned while it was still writing (a clock far off?): rebuild requested',
              { students },
            ),
        },
        principal,
        body,
      );
      metrics.record('AnswersAccepted', result.accepted);
      metrics.record('AnswersDuplicate', result.duplicates);
      return { body: result };
    } catch (error) {
      if (error instanceof LmsError && isClientErrorCode(error.code)) {
        metrics.record('AnswerRequestsRejected', 1, { code: error.code });
        metrics.record('AnswersRejected', answers, { code: error.code });
      }
      throw error;
    }
  },
);
