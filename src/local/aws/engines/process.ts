import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Whether a process with this pid is running. Signal 0 checks without delivering anything;
 * EPERM means it exists but belongs to someone else, which still counts as alive.
 *
 * A zombie (exited, not yet reaped) counts as dead: an orphaned child is reparented to pid 1,
 * and in containers pid 1 often never reaps, so the pid would otherwise look alive forever.
 *
 * @example
 * ```ts
 * const pid = engine.pid;
 * await engine.stop();
 * if (pid !== undefined && isProcessAlive(pid)) console.warn(`pid ${pid} survived`);
 * ```
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !isZombieOrGone(pid);
}

function isZombieOrGone(pid: number): boolean {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    // Without procfs (macOS) signal 0 is all we can go by; with it, the process was reaped
    // between the signal and the read.
    return existsSync('/proc/self/stat');
  }
  // Every thread, not just the main one: a JVM's main thread can be a zombie while other
  // threads are still exiting and its sockets still open.
  return tasks.every((task) => {
    const state = threadState(`/proc/${pid}/task/${task}/stat`);
    return state === undefined || state === 'Z' || state === 'X';
  });
}

function threadState(statPath: string): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(statPath, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain ') '; the state is
  // the first field after the last ')'.
  const end = stat.lastIndexOf(')');
  return stat.slice(end + 2, end + 3);
}

/**
 * Whether process `pid` itself holds a socket listening on TCP `port`, or undefined where that
 * cannot be told (no procfs). An answer on the port only proves that someone listens there;
 * this tells whether it is our child or a squatter that took the port first.
 *
 * @example
 * ```ts
 * if (listensOnPort(child.pid, 8000) === false) console.warn('8000 is served by someone else');
 * ```
 */
export function listensOnPort(pid: number, port: number): boolean | undefined {
  const inodes = socketInodes(pid);
  if (inodes === undefined) return existsSync('/proc/self/fd') ? false : undefined;
  if (inodes.size === 0) return false;
  for (const inode of listeningInodes(port, `/proc/${pid}`)) if (inodes.has(inode)) return true;
  return false;
}

/**
 * Sends a signal, treating "no such process" as success: the goal is that the process is
 * gone, and it may have exited on its own between our check and the kill.
 */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether Node has seen the child exit (and reaped it, so its pid may be reused). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Resolves true once the child has exited, or false when `timeoutMs` passes first. Never
 * rejects, so callers can escalate (SIGTERM, then SIGKILL) on a plain boolean.
 */
export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await once(child, 'exit', { signal: controller.signal });
    return true;
  } catch {
    return hasExited(child);
  } finally {
    clearTimeout(timer);
  }
}

// One shared set of listeners for all children instead of one per engine, so that running many
// engines (parallel tests) never trips Node's max-listeners warning.
const childrenToKill = new Set<number>();

// Signals whose default action ends Node without an 'exit' event. Test runners SIGTERM their
// workers (vitest does), and a terminal closing sends SIGHUP.
const FATAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killChildren(): void {
  // Only synchronous work runs in an 'exit' listener, which a kill is.
  for (const pid of childrenToKill) signalProcess(pid, 'SIGKILL');
}

function onFatalSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (the CLI stopping its engine gracefully): our listener's
  // mere presence must not change what the signal does, so leave it all to them.
  if (process.listenerCount(signal) > 1) return;
  killChildren();
  removeListeners();
  // With our listener gone the default action applies again, so the process dies of the
  // signal, with the exit status it would have had without us.
  process.kill(process.pid, signal);
}

function addListeners(): void {
  process.on('exit', killChildren);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

function removeListeners(): void {
  process.off('exit', killChildren);
  for (const signal of FATAL_SIGNALS) process.off(signal, onFatalSignal);
}

/**
 * SIGKILLs `pid` if this process ends while the child still runs, so that a crashing or
 * forgetful parent does not leave a JVM holding a port. Covers `process.exit()`, uncaught
 * errors, and SIGINT/SIGTERM/SIGHUP when nothing else handles them (the signal then still ends
 * the process as it would have). Only SIGKILL of the parent escapes. Call the returned
 * function once the child has exited.
 *
 * @example
 * ```ts
 * const release = killOnParentExit(child.pid);
 * child.once('exit', release);
 * ```
 */
export function killOnParentExit(pid: number): () => void {
  if (childrenToKill.size === 0) addListeners();
  childrenToKill.add(pid);
  return () => {
    if (!childrenToKill.delete(pid)) return;
    if (childrenToKill.size === 0) removeListeners();
  };
}

/** A process that listens on a port, as far as procfs tells (Linux; undefined elsewhere). */
export interface PortOwner {
  readonly pid: number;
  /** Its command line, shortened. */
  readonly command: string;
}

/** The inodes of the sockets process `pid` holds; undefined when its descriptors are hidden. */
function socketInodes(pid: number | string): Set<string> | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The fd was closed while we listed them.
    }
  }
  return inodes;
}

/** The socket inodes listening on TCP `port` in the network namespace of `procRoot`. */
function listeningInodes(port: number, procRoot = '/proc'): Set<string> {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (fields[3] !== '0A' || local === undefined || fields[9] === undefined) continue;
      // sl local_address rem_address st ... inode; st 0A is LISTEN
      if (local.slice(local.lastIndexOf(':') + 1) === portHex) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/**
 * Which process listens on TCP `port`, so that a refusal can name it. Only processes this
 * user may inspect are found (procfs hides others' descriptors); undefined when none is.
 *
 * @example
 * ```ts
 * portOwner(3000); // { pid: 4242, command: 'node bin/lms.mjs start' }
 * ```
 */
export function portOwner(port: number): PortOwner | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    const held = socketInodes(pid);
    if (held === undefined || ![...held].some((inode) => inodes.has(inode))) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .filter((part) => part !== '')
        .join(' ');
      return { pid: Number(pid), command: command.slice(0, 120) };
    } catch {
      // It exited while we looked.
    }
  }
  return undefined;
}
