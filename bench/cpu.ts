/**
 * CPU time of this process and of the engine's, around a run: whether a run waited on the
 * network or on a processor (one Node thread runs every in-process worker of the bench).
 */
import { readFileSync } from 'node:fs';

/** CPU ms of another process from /proc (Linux; undefined elsewhere). Ticks are 1/100 s. */
const processCpuMs = (pid: number | undefined): number | undefined => {
  // An engine inside this process (PGlite) has no CPU time of its own to read.
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    const user = Number(fields?.[11]);
    const system = Number(fields?.[12]);
    return Number.isFinite(user + system) ? (user + system) * 10 : undefined;
  } catch {
    return undefined;
  }
};

/**
 * CPU ms of a process and of its children (Linux's `children` list): a PostgreSQL server
 * works in one backend process per connection, all children of the postmaster.
 */
const treeCpuMs = (pid: number | undefined): number | undefined => {
  const own = processCpuMs(pid);
  if (own === undefined || pid === undefined) return own;
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((id) => id.trim() !== '')
      .map(Number);
  } catch {
    // No children list on this kernel: the process's own time only.
  }
  return children.reduce((sum, child) => sum + (processCpuMs(child) ?? 0), own);
};

export interface CpuShare {
  /** This process's CPU time over the wall time, in % of one core. */
  readonly bench: number;
  /** The engine process's, when it can be read. */
  readonly engine: number | undefined;
}

/** Starts counting; the returned function gives the shares since. */
export const cpuShare = (enginePid: number | undefined): (() => CpuShare) => {
  const started = performance.now();
  const bench = process.cpuUsage();
  const engine = treeCpuMs(enginePid);
  return () => {
    const wall = performance.now() - started;
    const used = process.cpuUsage(bench);
    const engineNow = treeCpuMs(enginePid);
    return {
      bench: (100 * (used.user + used.system)) / 1000 / wall,
      engine:
        engine === undefined || engineNow === undefined
          ? undefined
          : (100 * (engineNow - engine)) / wall,
    };
  };
};
