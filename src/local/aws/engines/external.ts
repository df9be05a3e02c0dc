import { BaseEngine, EngineKind, type RunningEngine } from './engine.ts';
import { EngineOptionsError } from './errors.ts';
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
export class ExternalEngine extends BaseEngine<RunningEngine> {
  readonly kind = EngineKind.External;
  readonly #endpoint: string;
  readonly #startTimeoutMs: number;

  constructor(options: ExternalEngineOptions) {
    super('external');
    this.#endpoint = parseEndpoint(options.endpoint);
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  }

  protected override async launch(): Promise<RunningEngine> {
    await waitForDynamoDb(this.#endpoint, { timeoutMs: this.#startTimeoutMs });
    return { endpoint: this.#endpoint };
  }

  /** Forgets the endpoint; the server behind it is not ours to stop. */
  protected override async shutdown(): Promise<void> {}
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
