import { LmsError } from '../../../errors.ts';

/**
 * An engine did not come up: the port was taken, the JVM could not be spawned or exited, or
 * the endpoint did not answer before the deadline. The message carries what is known (for
 * DynamoDB Local, its last output lines); `cause` keeps the underlying error.
 *
 * @example
 * ```ts
 * try {
 *   await engine.start();
 * } catch (error) {
 *   if (error instanceof EngineStartError) console.error(error.message);
 *   throw error;
 * }
 * ```
 */
export class EngineStartError extends LmsError {
  readonly code = 'ENGINE_START_FAILED' as const;
}

/**
 * `endpoint` was read while the engine was not running. Thrown rather than returning a stale
 * or empty URL, because a client built from it would fail later with a far less clear error.
 *
 * @example
 * ```ts
 * const engine = createEngine({ kind: 'dynalite' });
 * engine.endpoint; // throws EngineNotStartedError
 * ```
 */
export class EngineNotStartedError extends LmsError {
  readonly code = 'ENGINE_NOT_STARTED' as const;
}

/**
 * `start()` was called on an engine that is already starting or running. An engine owns one
 * server or child at a time; a second one would leak the first.
 *
 * @example
 * ```ts
 * await engine.start();
 * await engine.start(); // rejects with EngineAlreadyStartedError
 * ```
 */
export class EngineAlreadyStartedError extends LmsError {
  readonly code = 'ENGINE_ALREADY_STARTED' as const;
}

/**
 * An engine could not be shut down cleanly, e.g. the JVM survived SIGKILL within the
 * deadline, or the embedded server failed to close its store.
 *
 * @example
 * ```ts
 * await engine.stop().catch((error: EngineStopError) => console.error(error.code));
 * ```
 */
export class EngineStopError extends LmsError {
  readonly code = 'ENGINE_STOP_FAILED' as const;
}

/**
 * The options given to {@link createEngine} cannot describe an engine, e.g. `external` without
 * an endpoint or a port outside 0..65535.
 *
 * @example
 * ```ts
 * createEngine({ kind: 'external' }); // throws EngineOptionsError
 * ```
 */
export class EngineOptionsError extends LmsError {
  readonly code = 'ENGINE_INVALID_OPTIONS' as const;
}
