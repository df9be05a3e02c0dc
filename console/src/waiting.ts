/**
 * Answers posted but not in the figures yet, said where a person looks for them: the
 * progress, a parent's summary, the module results and the jobs. Without it a newcomer who
 * posts answers and runs `aggregate_students` at once sees the progress unchanged and
 * nothing saying why or when.
 *
 * Where it comes from: the last runs of the jobs, as `GET /_jobs` lists them (this start's
 * and those kept in the data folder, `src/local/console/run-history.ts`). The run itself
 * decides what it leaves for later (the settle window, a batch of answers still being
 * written, another run ahead: `services/aggregates/process-students.ts`) and writes it in
 * its summary (`deferred`, `settle_seconds`, `settles_at`), the figures its summary line
 * prints; the console re-deriving that from the answers and the marks would be a second
 * copy of the protocol that could disagree with the run. What that costs, said in the
 * notice: the summary counts students, not answers, and over the whole stack, not the
 * student on the page. Local only, as the jobs are: `/_jobs` needs no token, so every role's
 * view can ask it, though only admin is offered the jobs view.
 */
import type * as z from 'zod';
import { request } from './api.ts';
import { h, plural, when } from './dom.ts';
import { local } from './endpoints.ts';
import { type Job, jobsSchema, type Run, studentsRunSummarySchema } from './schemas.ts';

export const fetchJobs = async (signal: AbortSignal): Promise<readonly Job[]> =>
  (await request(local.jobs(), jobsSchema, { signal, token: false })).jobs;

type StudentsRunSummary = z.output<typeof studentsRunSummarySchema>;

/** A run that changed what it computed: it succeeded and was no dry run. */
const counted = (run: Run): boolean =>
  run.status === 'succeeded' &&
  typeof run.summary === 'object' &&
  run.summary !== null &&
  !('dry_run' in run.summary && run.summary.dry_run === true);

/** The job's latest run that counted, with its summary as the console reads it. */
const lastStudentsRun = (
  job: Job | undefined,
): { run: Run; summary: StudentsRunSummary } | undefined => {
  const run = job?.runs.find(counted);
  const parsed = studentsRunSummarySchema.safeParse(run?.summary);
  return run === undefined || !parsed.success ? undefined : { run, summary: parsed.data };
};

/** When the job is next scheduled, and what that means for answers that count from `from`. */
const nextScheduled = (job: Job, from?: string): string => {
  if (job.next_run === null)
    return 'none is scheduled on this stack: an admin starts one from Jobs (Run now)';
  const next = when(job.next_run, job.timezone);
  if (from !== undefined && Date.parse(job.next_run) < Date.parse(from))
    return `the next scheduled one, at ${next}, starts too early and leaves them again; the one after it counts them, as does Run now on Jobs after that time`;
  return `the next scheduled one starts ${next} (an admin can start one sooner from Jobs, Run now)`;
};

interface Waiting {
  /** The students run whose summary says so, and its summary. */
  readonly run: Run;
  readonly summary: StudentsRunSummary;
  readonly job: Job;
}

/** The last `aggregate_students` run that counted, when it left students' answers for later. */
const deferredAnswers = (jobs: readonly Job[]): Waiting | undefined => {
  const job = jobs.find((j) => j.function === 'aggregate_students');
  const last = lastStudentsRun(job);
  if (job === undefined || last === undefined || last.summary.deferred === 0) return undefined;
  return { ...last, job };
};

/**
 * Parents marked by the last successful `aggregate_students` run that no `aggregate_parents`
 * run has recomputed since: a run started before the students run finished may have read
 * the marks before they were set.
 */
const parentsWaiting = (jobs: readonly Job[]): { count: number; since: string } | undefined => {
  const last = lastStudentsRun(jobs.find((j) => j.function === 'aggregate_students'));
  if (last === undefined || last.run.finished_at === null || last.summary.parents_marked === 0)
    return undefined;
  const finished = Date.parse(last.run.finished_at);
  const parents = jobs.find((j) => j.function === 'aggregate_parents');
  const after = parents?.runs.some((r) => counted(r) && Date.parse(r.started_at) >= finished);
  return after === true
    ? undefined
    : { count: last.summary.parents_marked, since: last.run.finished_at };
};

export interface NoticeOptions {
  /** What the view shows that counts answers at once, said before the rest (the results). */
  readonly lead?: string;
  /** Also say which parent summaries wait for `aggregate_parents` (a parent's, the jobs). */
  readonly parents?: boolean;
}

/**
 * The notice, or null when nothing waits: it goes as soon as a later run counted them.
 *
 * @example
 * ```ts
 * waitingNotice(await fetchJobs(signal), { parents: true });
 * // <div data-waiting>Not counted yet: the newest answers of 1 student (across this stack; …</div>
 * ```
 */
export const waitingNotice = (
  jobs: readonly Job[],
  options: NoticeOptions = {},
): HTMLElement | null => {
  const waiting = deferredAnswers(jobs);
  const parentsJob = jobs.find((j) => j.function === 'aggregate_parents');
  const parents = options.parents === true ? parentsWaiting(jobs) : undefined;
  if (waiting === undefined && parents === undefined) return null;
  const lines: HTMLElement[] = [];
  if (waiting !== undefined) {
    const { summary, run, job } = waiting;
    const settles = when(summary.settles_at, job.timezone, { seconds: true });
    lines.push(
      h(
        'p',
        { 'data-deferred': summary.deferred, 'data-settles-at': summary.settles_at },
        h(
          'strong',
          {},
          `Not counted yet: the newest answers of ${plural(summary.deferred, 'student')}`,
        ),
        // The summary counts students across the stack: it cannot say the one on the page.
        ' (across this stack; the run does not say whose).',
        ` The aggregate_students run started ${when(run.started_at, job.timezone, { seconds: true })} left them for a later run, as answers younger than ${summary.settle_seconds} s (or still being written) wait. `,
        `They count in the first aggregate_students run from ${settles}: ${nextScheduled(job, summary.settles_at)}. `,
        parentsJob === undefined
          ? null
          : `Parent summaries follow on the aggregate_parents run after that (${nextScheduled(parentsJob)}).`,
      ),
    );
  }
  if (parents !== undefined && parentsJob !== undefined) {
    lines.push(
      h(
        'p',
        { 'data-parents-waiting': parents.count },
        `The aggregate_students run that finished ${when(parents.since, parentsJob.timezone, { seconds: true })} changed children’s progress behind ${plural(parents.count, 'parent summary', 'parent summaries')}: ${parents.count === 1 ? 'it changes' : 'they change'} on the next aggregate_parents run (${nextScheduled(parentsJob)}).`,
      ),
    );
  }
  return h(
    'div',
    { class: 'warning', role: 'status', 'data-waiting': '' },
    options.lead === undefined ? null : h('p', {}, options.lead),
    lines,
  );
};

/**
 * How often a view showing the notice asks the jobs again: a scheduled or a Run now run may
 * count the answers while the page is open, and the notice must not outlive them.
 */
const NOTICE_POLL_MS = 5000;

/** The jobs, or none when they cannot be read: the notice is a hint beside the view's figures. */
const jobsOrNone = (signal: AbortSignal): Promise<readonly Job[]> =>
  fetchJobs(signal).catch(() => {
    signal.throwIfAborted();
    return [];
  });

/**
 * The notice for a view, or null when nothing waits. While it is shown it follows the jobs:
 * once a run has counted what it announced, it says so and offers to reload the view (whose
 * figures were read before that run), and stops asking.
 */
export const viewNotice = async (
  signal: AbortSignal,
  options: NoticeOptions = {},
): Promise<HTMLElement | null> => {
  const first = waitingNotice(await jobsOrNone(signal), options);
  if (first === null) return null;
  const box = h('div', {}, first);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = () => {
    timer = setTimeout(async () => {
      // A failed read says nothing about the runs: the notice stays, and is asked again.
      const jobs = await fetchJobs(signal).catch(() => undefined);
      if (signal.aborted) return;
      if (jobs === undefined) return poll();
      const notice = waitingNotice(jobs, options);
      if (notice !== null) {
        box.replaceChildren(notice);
        poll();
        return;
      }
      box.replaceChildren(
        h(
          'p',
          { class: 'status', role: 'status', 'data-counted': '' },
          'Counted now: a later aggregate_students run took in the answers that waited. ',
          h('button', { type: 'button', onclick: () => location.reload() }, 'Reload this view'),
          ' to see them.',
        ),
      );
    }, NOTICE_POLL_MS);
  };
  poll();
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return box;
};
