import { EngineAlreadyStartedError, EngineNotStartedError } from './errors.ts';

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
 * and `stop()` on one that is idle resolves without doing anything, so it is safe in
 * `finally` blocks and `afterAll` hooks ({@link BaseEngine} keeps these rules for all).
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

/**
 * Where an engine is in its lifecycle. Only `running` has an endpoint; only `idle` may start.
 *
 * @example
 * ```ts
 * if (state === EngineState.Running) console.log('serving');
 * ```
 */
export const EngineState = {
  Idle: 'idle',
  Starting: 'starting',
  Running: 'running',
  Stopping: 'stopping',
} as const;

/** One of the values of {@link EngineState}. */
export type EngineState = (typeof EngineState)[keyof typeof EngineState];

/** What a started engine holds until it stops: at least the endpoint it serves. */
export interface RunningEngine {
  readonly endpoint: string;
}

/**
 * The one lifecycle every engine shares, so that an engine only says how its own thing comes
 * up ({@link BaseEngine.launch}) and goes down ({@link BaseEngine.shutdown}). It keeps the
 * promises of {@link LocalEngine}: a second `start()` rejects, a start that fails leaves the
 * engine idle and startable again, a `stop()` during a start waits for it and then stops what
 * it started (or nothing, if it failed), and `stop()` is a no-op on an idle engine while a
 * concurrent one waits for the stop under way, so it never resolves before the thing is down.
 *
 * `K` is the family of kinds the engine belongs to: the DynamoDB kinds by default (so a
 * subclass is a {@link LocalEngine}), or another family such as the PostgreSQL engines'
 * (`src/local/postgres/`), which share this lifecycle but not the DynamoDB interface.
 *
 * @example
 * ```ts
 * class EchoEngine extends BaseEngine<RunningEngine> {
 *   readonly kind = EngineKind.External;
 *   constructor() { super('echo'); }
 *   protected async launch() { return { endpoint: 'http://127.0.0.1:8000' }; }
 *   protected async shutdown() {}
 * }
 * ```
 */
export abstract class BaseEngine<R extends RunningEngine, K extends string = EngineKind> {
  abstract readonly kind: K;
  readonly #name: string;
  #state: EngineState = EngineState.Idle;
  #running: R | undefined;
  // Kept so that a stop can wait for the transition under way instead of racing it.
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  /** @param name how messages call the engine, e.g. `DynamoDB Local`. */
  protected constructor(name: string) {
    this.#name = name;
  }

  /** Brings the engine's server or child up; resolves once its endpoint answers. */
  protected abstract launch(): Promise<R>;

  /** Takes down what {@link launch} brought up; the engine is idle afterwards either way. */
  protected abstract shutdown(running: R): Promise<void>;

  get endpoint(): string {
    const running = this.#running;
    if (this.#state !== EngineState.Running || running === undefined) {
      throw new EngineNotStartedError(`${this.#name} engine is ${this.#state}, it has no endpoint`);
    }
    return running.endpoint;
  }

  /** Undefined unless an engine overrides it: only a child process has a pid of its own. */
  get pid(): number | undefined {
    return undefined;
  }

  async start(): Promise<void> {
    if (this.#state !== EngineState.Idle) {
      throw new EngineAlreadyStartedError(`${this.#name} engine is already ${this.#state}`);
    }
    this.#state = EngineState.Starting;
    const starting = this.#launch();
    this.#starting = starting;
    try {
      await starting;
    } finally {
      this.#starting = undefined;
    }
  }

  // The state changes inside the promise a stop waits for, so that a stop resuming after it
  // sees `running` (or `idle`), never a start that has finished but not yet said so.
  async #launch(): Promise<void> {
    try {
      this.#running = await this.launch();
      this.#state = EngineState.Running;
    } catch (error) {
      this.#state = EngineState.Idle;
      throw error;
    }
  }

  async stop(): Promise<void> {
    // Only a start under way is waited for, so that a stop begins at once otherwise.
    if (this.#starting !== undefined) await this.#starting.catch(() => {});
    if (this.#state === EngineState.Stopping) return this.#stopping;
    const running = this.#running;
    if (this.#state !== EngineState.Running || running === undefined) return;
    this.#state = EngineState.Stopping;
    const stopping = this.#shutdown(running);
    this.#stopping = stopping;
    try {
      await stopping;
    } finally {
      this.#stopping = undefined;
    }
  }

  async #shutdown(running: R): Promise<void> {
    try {
      await this.shutdown(running);
    } finally {
      this.#running = undefined;
      this.#state = EngineState.Idle;
    }
  }
}
