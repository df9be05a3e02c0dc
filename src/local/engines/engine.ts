/**
 * The DynamoDB back ends the local tools can run against. `dynalite` is the default because
 * it starts in milliseconds inside this process; `dynamodb-local` is AWS's own emulator (a
 * JVM child) for when behaviour must match the real service more closely; `external` is any
 * endpoint someone else runs (`DYNAMODB_ENDPOINT`).
 *
 * @example
 * ```ts
 * import { EngineKind } from './engine.ts';
 * const kind: EngineKind = EngineKind.Dynalite; // 'dynalite'
 * ```
 */
export const EngineKind = {
  Dynalite: 'dynalite',
  DynamoDbLocal: 'dynamodb-local',
  External: 'external',
} as const;

/** One of the values of {@link EngineKind}. */
export type EngineKind = (typeof EngineKind)[keyof typeof EngineKind];

/** Every engine kind, in the order a help text should list them. */
export const ENGINE_KINDS: readonly EngineKind[] = Object.values(EngineKind);

/**
 * Whether a string (a CLI flag, an environment variable) names an engine kind.
 *
 * @example
 * ```ts
 * const raw = process.env.LMS_TEST_ENGINE ?? 'dynalite';
 * if (!isEngineKind(raw)) throw new Error(`unknown engine ${raw}`);
 * ```
 */
export function isEngineKind(value: unknown): value is EngineKind {
  return typeof value === 'string' && (ENGINE_KINDS as readonly string[]).includes(value);
}

/**
 * A DynamoDB endpoint with a lifecycle. Every engine answers the DynamoDB HTTP API on
 * {@link LocalEngine.endpoint} between a resolved `start()` and a call to `stop()`; clients
 * may use any region and any credentials.
 *
 * An engine is started once: `start()` on an engine that is starting or running rejects,
 * and `stop()` on one that is not running resolves without doing anything, so it is safe
 * in `finally` blocks and `afterAll` hooks.
 *
 * @example
 * ```ts
 * const engine = createEngine({ kind: 'dynalite' });
 * await engine.start();
 * try {
 *   const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local' });
 *   await client.send(new ListTablesCommand({}));
 * } finally {
 *   await engine.stop();
 * }
 * ```
 */
export interface LocalEngine {
  readonly kind: EngineKind;
  /**
   * The base URL to give a DynamoDB client, e.g. `http://127.0.0.1:41234`.
   *
   * @throws {EngineNotStartedError} when the engine is not running, so that a client is never
   * built against a port nothing (or something else) listens on.
   */
  readonly endpoint: string;
  /** The pid of the child process serving the endpoint; undefined when none is ours. */
  readonly pid: number | undefined;
  /** Resolves once the endpoint answers DynamoDB requests. */
  start(): Promise<void>;
  /** Resolves once the endpoint is released (and any child process has exited). */
  stop(): Promise<void>;
}

/**
 * What {@link createEngine} needs. Each field matters only to the kinds noted.
 *
 * @example
 * ```ts
 * const options: EngineOptions = { kind: 'dynalite', path: '.data/dynalite' };
 * ```
 */
export interface EngineOptions {
  readonly kind: EngineKind;
  /** `external` only, and required there: the endpoint to use, e.g. `http://localhost:8000`. */
  readonly endpoint?: string;
  /** `dynalite` and `dynamodb-local`: a folder to persist tables in; omit to keep them in memory. */
  readonly path?: string;
  /** `dynalite` and `dynamodb-local`: the port to listen on; 0 or omitted picks a free one. */
  readonly port?: number;
  /** Upper bound for `start()` to see the endpoint answer, in milliseconds. */
  readonly startTimeoutMs?: number;
  /** `dynamodb-local`: how long to wait for the JVM to exit after SIGTERM before SIGKILL. */
  readonly stopTimeoutMs?: number;
}
