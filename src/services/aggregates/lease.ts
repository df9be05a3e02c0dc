/**
 * One run of a job at a time, across invocations and machines: a lease in `jobs`
 * (`<job>#lease`: the run holding it and until when). A run takes it when there is none or
 * it has expired, renews it at the start of every worker invocation (a whole run in one
 * process too: its worker invocations last at most `IN_PROCESS_INVOCATION_MS`, half a
 * lease), and gives it back when it finishes.
 *
 * Why this makes runs never overlap: a lease lasts {@link LEASE_MS}, longer than any one
 * Lambda invocation (15 minutes), and every invocation of a run renews it before it does
 * any work, or stops. So a run's invocation only ever works under a lease that is valid
 * until after that invocation ends; another run can take the lease only once it has
 * expired, that is when no invocation of the first run is working any more, and if the
 * first run goes on later, its next invocation finds the lease gone and stops.
 *
 * Only equality conditions are needed (both engines have them): a lease is renewed or taken
 * over by naming the run that held it.
 */
import { LmsError } from '../../errors.ts';
import { when } from '../../repositories/condition.ts';
import type { Db } from '../../repositories/db.ts';
import { ConditionFailedError } from '../../repositories/errors.ts';

/** Longer than one Lambda invocation can last (15 minutes), with a margin. */
export const LEASE_MS = 20 * 60_000;

/** Another run of the job holds its lease. */
export class JobBusyError extends LmsError {
  readonly code = 'JOB_BUSY';
}

/** This run's lease expired and another run took it: this run stops. */
export class LeaseLostError extends LmsError {
  readonly code = 'LEASE_LOST';
}

const leaseName = (job: string) => `${job}#lease`;

/**
 * Takes or renews the job's lease for `runId` until `now` + {@link LEASE_MS}; false when
 * another run holds an unexpired one.
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
  const valid = expiresAt !== undefined && Date.parse(expiresAt) > now.getTime();
  if (held !== undefined && valid && holder !== runId) return false;
  try {
    await db.jobs.put(
      {
        name,
        lease_run: runId,
        lease_expires_at: new Date(now.getTime() + LEASE_MS).toISOString(),
      },
      // Over exactly what was read: of two runs taking an expired lease, one wins.
      {
        condition:
          held === undefined
            ? when.absent('name')
            : holder === undefined
              ? when.absent('lease_run')
              : when.equals('lease_run', holder),
      },
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // Our own write, retried by the SDK after its response was lost, fails the condition
    // it already changed: reading the holder back tells it from another run's.
    const after = await db.jobs.find({ name }, { consistent: true });
    return after?.lease_run === runId;
  }
};

/** Renews the lease of a run that holds it; throws {@link LeaseLostError} if another took it. */
export const renewLease = async (db: Db, job: string, runId: string, now: Date): Promise<void> => {
  if (!(await takeLease(db, job, runId, now))) {
    throw new LeaseLostError(`${job}: run ${runId} lost its lease to another run; it stops here`);
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

/**
 * Runs `work` under the job's lease (taken first, renewed through `renew`, given back after,
 * whatever happens); a dry run writes nothing and needs none.
 *
 * @example
 * ```ts
 * await withLease(db, 'aggregate_students', { now, dryRun }, (renew) => processAll(renew));
 * ```
 */
export const withLease = async <R>(
  db: Db,
  job: string,
  options: { readonly now: () => Date; readonly dryRun: boolean; readonly runId: string },
  work: (renew: () => Promise<void>) => Promise<R>,
): Promise<R> => {
  if (options.dryRun) return work(async () => {});
  if (!(await takeLease(db, job, options.runId, options.now()))) {
    throw new JobBusyError(`${job}: another run holds the lease; this one does nothing`);
  }
  try {
    return await work(() => renewLease(db, job, options.runId, options.now()));
  } finally {
    await releaseLease(db, job, options.runId);
  }
};
