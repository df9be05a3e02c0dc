import { EngineKind, type LocalEngine } from './engine.ts';
import { EngineAlreadyStartedError, EngineNotStartedError, EngineOptionsError } from './errors.ts';
import { waitForDynamoDb } from './ready.ts';

/**
 * An endpoint run by someone else.
 *
 * @example
 * ```ts
 * const options: ExternalEngineOptions = { endpoint: process.env.DYNAMODB_ENDPOINT ?? '' };
 * ```
 */
export interface ExternalEngineOptions {
  /** An http(s) URL, e.g. `http://localhost:8000`. */
  readonly endpoint: string;
  /** How long `start()` waits for the endpoint to answer. Defaults to 10 s. */
  readonly startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 10_000;

/**
 * A DynamoDB endpoint this process does not own (`DYNAMODB_ENDPOINT`: a docker container, a
 * shared dev emulator). `start()` only proves it answers, so that a wrong URL fails at startup
 * rather than on the first query; `stop()` leaves the remote untouched.
 *
 * @example
 * ```ts
 * const engine = new ExternalEngine({ endpoint: 'http://localhost:8000' });
 * await engine.start(); // rejects with ENGINE_START_FAILED if nothing answers
 * ```
 */
export class ExternalEngine implements LocalEngine {
  readonly kind = EngineKind.External;
  readonly #endpoint: string;
  readonly #startTimeoutMs: number;
  #state: 'idle' | 'starting' | 'running' = 'idle';
  #starting: Promise<void> | undefined;

  constructor(options: ExternalEngineOptions) {
    this.#endpoint = parseEndpoint(options.endpoint);
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  }

  get endpoint(): string {
    if (this.#state !== 'running') {
      throw new EngineNotStartedError(`external engine is ${this.#state}, call start() first`);
    }
    return this.#endpoint;
  }

  /** Always undefined: no process of ours serves an external endpoint. */
  get pid(): number | undefined {
    return undefined;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') {
      throw new EngineAlreadyStartedError(`external engine is already ${this.#state}`);
    }
    this.#state = 'starting';
    this.#starting = waitForDynamoDb(this.#endpoint, { timeoutMs: this.#startTimeoutMs });
    try {
      await this.#starting;
      this.#state = 'running';
    } catch (error) {
      this.#state = 'idle';
      throw error;
    } finally {
      this.#starting = undefined;
    }
  }

  /** Forgets the endpoint; the server behind it is not ours to stop. */
  async stop(): Promise<void> {
    // A stop during start must win, or the engine would turn 'running' after it.
    await this.#starting?.catch(() => {});
    this.#state = 'idle';
  }
}

// Normalised without a trailing slash, so that callers can append paths or compare endpoints.
function parseEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new EngineOptionsError(`external endpoint is not a URL: ${JSON.stringify(endpoint)}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngineOptionsError(`external endpoint must be http(s), got ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}
