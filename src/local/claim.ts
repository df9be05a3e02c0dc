/**
 * What `lms start` checks before it does anything: that no other stack runs on its data
 * folder (a lock file holding the owner's pid, checked alive, so a crashed stack's file is
 * taken over) and that its ports are free. A second stack is refused at once, naming the
 * other process, instead of crashing inside dynalite ("Database is closed") or after
 * seeding and running every job.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { LmsError } from '../errors.ts';
import { isPortFree } from './aws/engines/network.ts';
import { isProcessAlive, portOwner } from './aws/engines/process.ts';

/** The data folder or a port of the stack is held by another process (exit code 2). */
export class StackInUseError extends LmsError {
  readonly code = 'STACK_IN_USE';
}

/** The lock file in the data folder. */
export const LOCK_FILE = 'lms-start.lock';

const lockSchema = z.object({
  pid: z.number().int().positive(),
  started_at: z.string(),
  ports: z.record(z.string(), z.number()),
});
type Lock = z.output<typeof lockSchema>;

export interface ClaimedPort {
  /** How the refusal names it: `the HTTP API (--port)`. */
  readonly what: string;
  readonly port: number;
  readonly host: string;
}

const readLock = async (path: string): Promise<Lock | undefined> => {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Unreadable or half written: treated as stale (its writer died while writing it).
    return undefined;
  }
};

/**
 * Takes the data folder's lock. A lock whose pid is alive refuses; one whose pid is gone
 * (a stack killed with SIGKILL) is taken over. Resolves to the release function.
 *
 * @throws {StackInUseError} naming the pid that holds the folder.
 */
export const lockDataFolder = async (
  dataDir: string,
  ports: Readonly<Record<string, number>>,
): Promise<() => Promise<void>> => {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const lock: Lock = { pid: process.pid, started_at: new Date().toISOString(), ports };
  for (let attempt = 0; ; attempt++) {
    try {
      // 'wx' fails if the file exists: of two stacks starting at once, one wins.
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify(lock));
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const held = await readLock(path);
      if (held !== undefined && isProcessAlive(held.pid)) {
        const ports = Object.entries(held.ports)
          .map(([name, port]) => `${name} ${port}`)
          .join(', ');
        throw new StackInUseError(
          `the data folder ${resolve(dataDir)} is in use by another lms start (pid ${held.pid}, since ${held.started_at}${ports === '' ? '' : `, ${ports}`}): stop it first (Ctrl-C in its terminal, or kill ${held.pid}), or start this one with --data <another folder> or --in-memory`,
        );
      }
      await rm(path, { force: true });
    }
  }
  return async () => {
    // Only our own lock: never remove one another stack took over meanwhile.
    if ((await readLock(path))?.pid === process.pid) await rm(path, { force: true });
  };
};

/**
 * Refuses ports that are taken, naming who holds them where procfs tells. A port checked
 * free can still be taken before the stack binds it; that race ends in the bind's own error.
 *
 * @throws {StackInUseError}
 */
export const checkPortsFree = async (ports: readonly ClaimedPort[]): Promise<void> => {
  for (const { what, port, host } of ports) {
    if (port === 0 || (await isPortFree(port, host))) continue;
    const owner = portOwner(port);
    const by = owner === undefined ? '' : ` by pid ${owner.pid} (${owner.command})`;
    throw new StackInUseError(
      `port ${port} for ${what} is in use${by}: stop that process, or choose another port (0 picks a free one)`,
    );
  }
};
