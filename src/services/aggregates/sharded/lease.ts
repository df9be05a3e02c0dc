/**
 * One run of a job at a time, across invocations and machines: a lease in `jobs`
 * (`<job>#lease`: the run holding it and until when). A run takes it when there is none or
 * it has expired, keeps it while it works, and gives it back when it finishes. Only
 * equality conditions are needed (both engines have them): a lease is taken over by
 * naming the run that held it.
 */
import { when } from '../../../repositories/condition.ts';
import type { Db } from '../../../repositories/db.ts';
import { ConditionFailedError } from '../../../repositories/errors.ts';

/**
 * Longer than a workflow may run (its timeout is 6 hours, `src/catalog/functions.ts`):
 * a lease only expires when its run is surely gone.
 */
export const LEASE_MS = 7 * 3_600_000;

const leaseName = (job: string) => `${job}#lease`;

/**
 * Takes the job's lease for `runId`; false when another unexpired run holds it.
 *
 * @example
 * ```ts
 * if (!(await takeLease(db, 'aggregate_students', runId, now))) return { busy: true, ... };
 * ```
 */
export const takeLease = async (
  db: Db,
  job: string,
  runId: string,
  now: Date,
): Promise<boolean> => {
  const name = leaseName(job);
  const held = await db.jobs.find({ name }, { consistent: true });
  const expiresAt = typeof held?.lease_expires_at === 'string' ? held.lease_expires_at : undefined;
  const holder = typeof held?.lease_run === 'string' ? held.lease_run : undefined;
  if (held !== undefined && expiresAt !== undefined && Date.parse(expiresAt) > now.getTime()) {
    return holder === runId;
  }
  try {
    await db.jobs.put(
      {
        name,
        lease_run: runId,
        lease_expires_at: new Date(now.getTime() + LEASE_MS).toISOString(),
      },
      // Over exactly what was read: of two runs taking an expired lease, one wins.
      { condition: holder === undefined ? when.absent('name') : when.equals('lease_run', holder) },
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
};

/** Gives the lease back, if `runId` still holds it. */
export const releaseLease = async (db: Db, job: string, runId: string): Promise<void> => {
  try {
    await db.jobs.delete({ name: leaseName(job) }, { condition: when.equals('lease_run', runId) });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
};
