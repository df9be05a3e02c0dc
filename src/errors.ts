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

  /**
   * What a client can act on beyond the code and message (every bad item of a batch,
   * every conflict); an error reply lists them. The error says so itself, so that the
   * HTTP layer needs no service's error classes.
   */
  get details(): readonly object[] | undefined {
    return undefined;
  }

  /** Whole seconds until the same request may be admitted (a reply's `Retry-After`). */
  get retryAfterSeconds(): number | undefined {
    return undefined;
  }
}

/**
 * The message of anything thrown. `catch` and promise rejections hand over `unknown`: a
 * library may throw a string or a plain object, and a report must still say something.
 *
 * @example
 * ```ts
 * errorMessage(new Error('table not found')); // 'table not found'
 * errorMessage('timeout');                    // 'timeout'
 * ```
 */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Like {@link errorMessage}, but the stack where there is one: for logs a developer reads,
 * never for a reply.
 */
export const errorStack = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);
