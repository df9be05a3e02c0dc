/**
 * Local services in the manner of Architect's sandbox: each is an object with
 * `start`/`stop`; they start in series and stop in reverse, and a failed start stops
 * whatever had already started, so nothing is left behind either way.
 */
import { errorMessage } from '../errors.ts';

export interface LocalService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const stack = new ServiceStack([engine, tables, api]);
 * await stack.start();
 * process.once('SIGINT', () => void stack.stop());
 * ```
 */
export class ServiceStack {
  readonly #started: LocalService[] = [];

  constructor(
    private readonly services: readonly LocalService[],
    private readonly log: (line: string) => void = () => {},
  ) {}

  /**
   * Starts the services in order. An aborted `signal` (Ctrl-C) stops the start between two
   * services, or inside one that watches the signal (the seed), and stops what started.
   */
  async start(signal?: AbortSignal): Promise<void> {
    for (const service of this.services) {
      try {
        signal?.throwIfAborted();
        await service.start();
      } catch (error) {
        this.log(
          signal?.aborted === true
            ? `${service.name} interrupted; stopping what started, in reverse`
            : `${service.name} failed to start; stopping what started`,
        );
        await this.stop();
        throw error;
      }
      this.#started.push(service);
    }
  }

  /** Stops every started service in reverse order; every one is tried even if one fails. */
  async stop(): Promise<void> {
    const failures: unknown[] = [];
    while (this.#started.length > 0) {
      const service = this.#started.pop();
      if (service === undefined) break;
      try {
        await service.stop();
        this.log(`${service.name} stopped`);
      } catch (error) {
        failures.push(error);
        this.log(`${service.name} failed to stop: ${errorMessage(error)}`);
      }
    }
    if (failures.length > 0)
      throw new AggregateError(failures, 'some local services failed to stop');
  }
}
