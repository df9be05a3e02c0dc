import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, lchown, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pingPostgres } from '../../adapters/postgres/probe.ts';
import { ensureDataFolder } from '../aws/engines/data-folder.ts';
import { BaseEngine, type RunningEngine } from '../aws/engines/engine.ts';
import { EngineNotStartedError, EngineStartError, EngineStopError } from '../aws/engines/errors.ts';
import { findFreePort, isPortFree } from '../aws/engines/network.ts';
import { OutputTail } from '../aws/engines/output-tail.ts';
import {
  hasExited,
  isProcessAlive,
  killOnParentExit,
  signalProcess,
  waitForExit,
} from '../aws/engines/process.ts';
import { describeError } from '../aws/engines/ready.ts';
import { findPostgresBinaries, type PostgresBinaries } from './binaries.ts';
import {
  checkedListenOptions,
  formatDatabaseUrl,
  type LocalPostgresEngine,
  PostgresEngineKind,
} from './engine.ts';

/**
 * How Debian's PostgreSQL server is run.
 *
 * @example
 * ```ts
 * const options: PostgresServerEngineOptions = { path: '.data/postgres', maxConnections: 200 };
 * ```
 */
export interface PostgresServerEngineOptions {
  /**
   * The cluster's folder (PGDATA), initialised by `initdb` if it holds no cluster yet. Omit for
   * a fresh folder under the system temp dir, named `lms-pg-*`, which `stop()` removes.
   */
  readonly path?: string;
  /** The TCP port on 127.0.0.1; 0 or omitted picks a free one. */
  readonly port?: number;
  /** `max_connections`. Defaults to 200: parallel test workers each open a pool. */
  readonly maxConnections?: number;
  /** How long `initdb` plus the server get to answer `SELECT 1`. Defaults to 60 s. */
  readonly startTimeoutMs?: number;
  /** How long the server gets to exit after SIGINT before SIGKILL. Defaults to 10 s. */
  readonly stopTimeoutMs?: number;
  /** Run without fsync, synchronous commit and full-page writes: fast, unsafe; tests only. */
  readonly unsafeNoFsync?: boolean;
  /** A folder holding `initdb` and `postgres`; found by {@link findPostgresBinaries} if omitted. */
  readonly binDir?: string;
}

/** The prefix of the temporary folders of servers started without a path (CI looks for it). */
export const POSTGRES_TEMP_PREFIX = 'lms-pg-';

const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5_000;
const HOST = '127.0.0.1';
const MAX_PORT_ATTEMPTS = 3;
// A Unix socket path is limited to 107 bytes; `/.s.PGSQL.65535.lock` takes 21 of them.
const MAX_SOCKET_DIR_LENGTH = 80;

interface RunningPostgres extends RunningEngine {
  readonly child: ChildProcess;
  /** Whom to signal: the postmaster (the child itself unless a forking wrapper started it). */
  readonly pid: number | undefined;
}

/** Who runs initdb and postgres: ourselves, or (as root, which postgres refuses) `nobody`. */
interface RunAs {
  readonly uid: number;
  readonly gid: number;
  /** Turns `command args` into what to spawn. */
  readonly wrap: (command: string, args: readonly string[]) => [string, string[]];
}

/**
 * Debian's PostgreSQL server (`/usr/lib/postgresql/<version>/bin/postgres`), initialised with
 * `initdb` (trust authentication for user `postgres`, UTF8, locale C) and run directly as a
 * child process, so that {@link pid} is the postmaster's. It listens on 127.0.0.1 only, with
 * its Unix socket inside its own folder. As root it runs as `nobody` (postgres refuses root),
 * through `setpriv` or `runuser`, and the folder is handed to `nobody`.
 *
 * `stop()` asks for a fast shutdown (SIGINT: sessions are ended, transactions rolled back) and
 * SIGKILLs after `stopTimeoutMs`; if this process exits first, the server is SIGKILLed.
 *
 * @example
 * ```ts
 * const engine = new PostgresServerEngine({ unsafeNoFsync: true });
 * await engine.start(); // initdb in a fresh lms-pg-* temp folder, then postgres
 * console.log(engine.databaseUrl, engine.pid);
 * await engine.stop(); // the server exits, the temp folder is removed
 * ```
 */
export class PostgresServerEngine
  extends BaseEngine<RunningPostgres, PostgresEngineKind>
  implements LocalPostgresEngine
{
  readonly kind = PostgresEngineKind.Postgres;
  readonly #path: string | undefined;
  readonly #port: number;
  readonly #maxConnections: number;
  readonly #startTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #unsafeNoFsync: boolean;
  readonly #binDir: string | undefined;
  #child: ChildProcess | undefined;
  #postmasterPid: number | undefined;
  #folder: string | undefined;
  #tail = new OutputTail(50);

  constructor(options: PostgresServerEngineOptions = {}) {
    super('PostgreSQL');
    const { port, maxConnections } = checkedListenOptions('PostgreSQL', options, 200);
    this.#port = port;
    this.#maxConnections = maxConnections;
    this.#path = options.path === undefined ? undefined : resolve(options.path);
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#unsafeNoFsync = options.unsafeNoFsync ?? false;
    this.#binDir = options.binDir;
  }

  /** The connection string; throws EngineNotStartedError unless running. */
  get databaseUrl(): string {
    const url = this.endpoint;
    const child = this.#child;
    if (child !== undefined && hasExited(child)) {
      throw new EngineNotStartedError(
        `PostgreSQL exited unexpectedly; last output:\n${this.#tail.format()}`,
      );
    }
    return url;
  }

  /** The postmaster's pid, from spawn on; undefined when idle. */
  override get pid(): number | undefined {
    return this.#postmasterPid ?? this.#child?.pid;
  }

  /** The cluster's folder while the engine runs (the temp folder when no path was given). */
  get folder(): string | undefined {
    return this.#folder;
  }

  protected override async launch(): Promise<RunningPostgres> {
    const deadline = Date.now() + this.#startTimeoutMs;
    const binaries = findPostgresBinaries(
      this.#binDir === undefined ? {} : { binDir: this.#binDir },
    );
    const runAs = whoRuns();
    const temporary = this.#path === undefined;
    let folder: string;
    if (this.#path === undefined) {
      folder = await mkdtemp(join(tmpdir(), POSTGRES_TEMP_PREFIX));
    } else {
      folder = this.#path;
      await ensureDataFolder(folder, 'PostgreSQL');
    }
    this.#folder = folder;
    try {
      if (runAs !== undefined) {
        await assertReachable(folder, runAs);
        await chownTree(folder, runAs.uid, runAs.gid);
      }
      if (!existsSync(join(folder, 'PG_VERSION'))) {
        await this.#initdb(binaries, folder, runAs, deadline);
      }
      return await this.#startServer(binaries, folder, runAs, deadline);
    } catch (error) {
      this.#folder = undefined;
      if (temporary) await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  async #initdb(
    binaries: PostgresBinaries,
    folder: string,
    runAs: RunAs | undefined,
    deadline: number,
  ): Promise<void> {
    const args = ['-D', folder, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'];
    if (this.#unsafeNoFsync) args.push('--no-sync');
    const tail = new OutputTail(50);
    const child = spawnAs(runAs, binaries.initdb, args, folder);
    tail.attach(child.stdout, 'stdout');
    tail.attach(child.stderr, 'stderr');
    const spawnError = new Promise<Error>((resolvePromise) => child.once('error', resolvePromise));
    const exited = await Promise.race([
      waitForExit(child, Math.max(deadline - Date.now(), 0)),
      spawnError,
    ]);
    if (exited instanceof Error) {
      throw new EngineStartError(`cannot run ${binaries.initdb}: ${describeError(exited)}`, {
        cause: exited,
      });
    }
    if (!exited) {
      signalProcess(child.pid ?? -1, 'SIGKILL');
      await waitForExit(child, KILL_TIMEOUT_MS);
      throw new EngineStartError(
        `initdb did not finish within ${this.#startTimeoutMs} ms; last output:\n${tail.format()}`,
      );
    }
    if (child.exitCode !== 0) {
      throw new EngineStartError(
        `initdb failed for ${folder} (exit code ${child.exitCode}); last output:\n${tail.format()}`,
      );
    }
  }

  async #startServer(
    binaries: PostgresBinaries,
    folder: string,
    runAs: RunAs | undefined,
    deadline: number,
  ): Promise<RunningPostgres> {
    if (this.#port !== 0) {
      if (!(await isPortFree(this.#port, HOST))) {
        throw new EngineStartError(
          `PostgreSQL cannot use port ${this.#port}: it is already in use`,
        );
      }
      return this.#spawnServer(binaries, folder, runAs, this.#port, deadline);
    }
    // A port found free can be taken by someone else before postgres binds it.
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort(HOST);
      try {
        return await this.#spawnServer(binaries, folder, runAs, port, deadline);
      } catch (error) {
        if (attempt >= MAX_PORT_ATTEMPTS || !lostThePort(this.#tail) || Date.now() >= deadline) {
          throw error;
        }
      }
    }
  }

  async #spawnServer(
    binaries: PostgresBinaries,
    folder: string,
    runAs: RunAs | undefined,
    port: number,
    deadline: number,
  ): Promise<RunningPostgres> {
    const socketDir = folder.length <= MAX_SOCKET_DIR_LENGTH ? folder : '';
    const args = [
      '-D',
      folder,
      '-p',
      String(port),
      '-c',
      `listen_addresses=${HOST}`,
      '-c',
      `unix_socket_directories=${socketDir}`,
      '-c',
      `max_connections=${this.#maxConnections}`,
    ];
    if (this.#unsafeNoFsync) {
      args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    }
    const tail = new OutputTail(50);
    this.#tail = tail;
    const child = spawnAs(runAs, binaries.postgres, args, folder);
    this.#child = child;
    tail.attach(child.stdout, 'stdout');
    tail.attach(child.stderr, 'stderr');
    const exited = new AbortController();
    child.on('error', (error) => {
      exited.abort(new Error(`cannot run ${binaries.postgres}: ${describeError(error)}`));
    });
    const onClose = () => exited.abort(new Error('postgres exited before it was ready'));
    child.once('close', onClose);
    if (child.pid !== undefined) {
      const release = killOnParentExit(child.pid);
      child.once('exit', release);
    }
    const databaseUrl = formatDatabaseUrl(HOST, port);
    try {
      await waitForPostgres(databaseUrl, {
        timeoutMs: Math.max(deadline - Date.now(), 0),
        signal: exited.signal,
      });
    } catch (error) {
      await terminate(child, undefined, this.#stopTimeoutMs).catch(() => {});
      this.#child = undefined;
      const inUse = tail.lines().some((line) => line.includes('postmaster.pid'))
        ? ` (folder ${folder} is in use by another PostgreSQL server: see its postmaster.pid)`
        : '';
      throw new EngineStartError(
        `PostgreSQL did not start on port ${port}${inUse}: ${describeError(error)}\n` +
          `last output:\n${tail.format()}`,
        { cause: error },
      );
    } finally {
      child.off('close', onClose);
    }
    const pid = postmasterPid(folder);
    this.#postmasterPid = pid;
    return { endpoint: databaseUrl, child, pid };
  }

  protected override async shutdown({ child, pid }: RunningPostgres): Promise<void> {
    const folder = this.#folder;
    try {
      await terminate(child, pid, this.#stopTimeoutMs);
    } finally {
      this.#child = undefined;
      this.#postmasterPid = undefined;
      this.#folder = undefined;
    }
    if (this.#path === undefined && folder !== undefined) {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

/** How {@link waitForPostgres} polls. */
export interface WaitForPostgresOptions {
  /** Give up (with {@link EngineStartError}) once this much time has passed. */
  readonly timeoutMs: number;
  /** Pause between two failed attempts. Defaults to 50 ms. */
  readonly intervalMs?: number;
  /** Ends the wait early, rejecting with `signal.reason` (the server exited). */
  readonly signal?: AbortSignal;
}

/**
 * Resolves once `databaseUrl` answers `SELECT 1`, polling with fresh connections until the
 * deadline (a server starting up refuses connections, then says "the database system is
 * starting up").
 *
 * @throws {EngineStartError} when the deadline passes; `cause` is the last attempt's error.
 *
 * @example
 * ```ts
 * await waitForPostgres('postgres://postgres@127.0.0.1:5432/postgres', { timeoutMs: 30_000 });
 * ```
 */
export async function waitForPostgres(
  databaseUrl: string,
  options: WaitForPostgresOptions,
): Promise<void> {
  const { timeoutMs, intervalMs = 50, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      await pingPostgres(databaseUrl, Math.min(remaining, 5_000));
      return;
    } catch (error) {
      lastError = error;
    }
    signal?.throwIfAborted();
    const pause = Math.min(intervalMs, deadline - Date.now());
    if (pause > 0) {
      await delay(pause, undefined, signal ? { signal } : undefined).catch(() => {});
    }
  }
  throw new EngineStartError(
    `PostgreSQL at ${databaseUrl} did not answer within ${timeoutMs} ms: ${describeError(lastError)}`,
    { cause: lastError },
  );
}

/** Whether postgres died because its port was taken. */
function lostThePort(tail: OutputTail): boolean {
  return tail.lines().some((line) => /could not bind|Address already in use/.test(line));
}

/**
 * SIGINT (fast shutdown: sessions ended, a checkpoint written), then SIGKILL after
 * `timeoutMs`. The signals go to the postmaster: the child itself when spawned directly or
 * through `setpriv` (which execs), the pid of `postmaster.pid` behind `runuser`. Done once the
 * child has exited and the postmaster is gone.
 */
async function terminate(
  child: ChildProcess,
  postmaster: number | undefined,
  timeoutMs: number,
): Promise<void> {
  const pid = postmaster ?? child.pid;
  if (pid === undefined) return;
  const gone = async (ms: number) => {
    if (!(await waitForExit(child, ms))) return false;
    // Behind a forking wrapper the postmaster may outlive the wrapper by a moment.
    const until = Date.now() + ms;
    while (isProcessAlive(pid) && Date.now() < until) await delay(20);
    return !isProcessAlive(pid);
  };
  if (hasExited(child) && !isProcessAlive(pid)) return;
  signalProcess(pid, 'SIGINT');
  if (await gone(timeoutMs)) return;
  signalProcess(pid, 'SIGKILL');
  if (child.pid !== undefined && child.pid !== pid) signalProcess(child.pid, 'SIGKILL');
  if (await gone(KILL_TIMEOUT_MS)) return;
  throw new EngineStopError(
    `PostgreSQL (pid ${pid}) was still running ${timeoutMs + KILL_TIMEOUT_MS} ms after SIGINT`,
  );
}

function spawnAs(
  runAs: RunAs | undefined,
  command: string,
  args: readonly string[],
  cwd: string,
): ChildProcess {
  const [file, argv] = runAs === undefined ? [command, [...args]] : runAs.wrap(command, args);
  // LC_ALL=C: no locale warnings, whatever the caller's shell has; PG* variables of the caller
  // (PGDATA, PGPORT) must not change which cluster or port is used.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
  return spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Undefined unless this process is root; then `nobody` through `setpriv` (which execs, so the
 * pid stays the postmaster's) or else `runuser`.
 */
function whoRuns(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = lookUp('/etc/passwd', 'nobody');
  const uid = user === undefined ? 65534 : Number(user[2]);
  const group = lookUp('/etc/group', 'nogroup');
  const gid = group === undefined ? Number(user?.[3] ?? 65534) : Number(group[2]);
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
  if (setpriv !== undefined) {
    return {
      uid,
      gid,
      wrap: (command, args) => [
        setpriv,
        [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', command, ...args],
      ],
    };
  }
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((path) => existsSync(path));
  if (runuser !== undefined) {
    return {
      uid,
      gid,
      wrap: (command, args) => [runuser, ['-u', 'nobody', '--', command, ...args]],
    };
  }
  throw new EngineStartError(
    'PostgreSQL refuses to run as root, and neither setpriv nor runuser (util-linux) is there ' +
      'to run it as nobody',
  );
}

function lookUp(file: string, name: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[0] === name);
  } catch {
    return undefined;
  }
}

/**
 * Fails clearly when `nobody` could not reach `folder` through its parents (a cluster under
 * /root, say): initdb would fail with a bare "Permission denied" otherwise.
 */
async function assertReachable(folder: string, runAs: RunAs): Promise<void> {
  for (let dir = dirname(folder); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const searchable =
      info.uid === runAs.uid
        ? (info.mode & 0o100) !== 0
        : info.gid === runAs.gid
          ? (info.mode & 0o010) !== 0
          : (info.mode & 0o001) !== 0;
    if (!searchable) {
      throw new EngineStartError(
        `PostgreSQL runs as nobody when started as root, and nobody cannot reach ${folder}: ` +
          `${dir} is not searchable by others (mode ${(info.mode & 0o777).toString(8)}). ` +
          'Choose a folder elsewhere or allow it with chmod o+x.',
      );
    }
    if (dir === dirname(dir)) return;
  }
}

/** Hands a folder and everything in it to `uid`:`gid` (what postgres requires of PGDATA). */
async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await lchown(child, uid, gid);
  }
}

/**
 * The postmaster's pid as it wrote it in `postmaster.pid`, or undefined when unreadable. Only
 * differs from the child's pid when a wrapper that forks (`runuser`) started it.
 */
function postmasterPid(folder: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(folder, 'postmaster.pid'), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
