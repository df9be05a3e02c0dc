/**
 * At most this many answers per `POST /answers` request (DESIGN section 4): the request's
 * validation and the per-student cap (at least one full batch, `config.ts`) both hold to it.
 */
export const MAX_ANSWERS_PER_REQUEST = 500;
