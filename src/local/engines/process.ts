import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';

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
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // Without procfs (macOS) signal 0 is all we can go by; with it, the process was reaped
    // between the signal and the read.
    return existsSync('/proc/self/stat');
  }
  // The command name (field 2) is in parentheses and may itself contain ') '; the state
  // is the first field after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
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

// One shared 'exit' listener for all children instead of one per engine, so that running many
// engines (parallel tests) never trips Node's max-listeners warning.
const childrenToKill = new Set<number>();

function killChildrenOnExit(): void {
  // Only synchronous work runs in an 'exit' listener, which a kill is.
  for (const pid of childrenToKill) signalProcess(pid, 'SIGKILL');
}

/**
 * SIGKILLs `pid` if this process exits while the child still runs, so that a crashing or
 * forgetful parent does not leave a JVM holding a port. Call the returned function once the
 * child is stopped.
 *
 * Signals that end Node without an 'exit' event (an unhandled SIGTERM, SIGKILL) bypass this;
 * the CLI should handle SIGINT/SIGTERM by stopping its engine.
 *
 * @example
 * ```ts
 * const release = killOnParentExit(child.pid);
 * child.once('exit', release);
 * ```
 */
export function killOnParentExit(pid: number): () => void {
  if (childrenToKill.size === 0) process.on('exit', killChildrenOnExit);
  childrenToKill.add(pid);
  return () => {
    if (!childrenToKill.delete(pid)) return;
    if (childrenToKill.size === 0) process.off('exit', killChildrenOnExit);
  };
}
