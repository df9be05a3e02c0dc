/**
 * The base of every error this project throws on purpose. A `code` is stable and machine
 * readable (it is what an HTTP reply's `error.code` carries); `cause` keeps the original
 * error for the logs.
 *
 * @example
 * ```ts
 * class NotFoundError extends LmsError {
 *   readonly code = 'NOT_FOUND';
 * }
 * throw new NotFoundError('class c-9 does not exist');
 * ```
 */
export abstract class LmsError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
