/**
 * `#/jobs`: the scheduled jobs, their next runs and recent runs, a run-now button each, and
 * a running workflow's shards live (polled every second while something runs).
 */
import { ApiError, request } from '../api.ts';
import { workflowDiagram } from '../charts/workflow.ts';
import { h, when } from '../dom.ts';
import { local } from '../endpoints.ts';
import { type Job, jobsSchema, launchedSchema, type Run } from '../schemas.ts';
import { table } from '../table.ts';
import type { ViewContext } from '../view.ts';
import { waitingNotice } from '../waiting.ts';

const FAST_POLL_MS = 1000;
const SLOW_POLL_MS = 10_000;

/** The summary's top-level numbers: what a person compares between runs. */
const headline = (summary: unknown): string => {
  if (typeof summary !== 'object' || summary === null) return '';
  return Object.entries(summary)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .slice(0, 6)
    .map(([key, value]) => `${key.replaceAll('_', ' ')}: ${value}`)
    .join(', ');
};

const duration = (run: Run): string => {
  if (run.finished_at === null) return 'running';
  const ms = Date.parse(run.finished_at) - Date.parse(run.started_at);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
};

const progressOf = (run: Run, timeZone: string): HTMLElement => {
  const p = run.progress;
  if (p === null)
    return h('span', { class: 'running' }, `running since ${when(run.started_at, timeZone)}`);
  return h(
    'span',
    { class: 'running', 'data-progress': `${p.shards_done}/${p.shards}` },
    h('progress', {
      max: Math.max(1, p.shards),
      value: p.shards_done,
      'aria-label': 'shards done',
    }),
    ` ${p.shards_done} of ${p.shards} shards, ${p.continuations} continuations, ${p.invocations} invocations`,
  );
};

export const jobsView = async (context: ViewContext): Promise<Node> => {
  context.title('Jobs');
  const open = new Set<string>();
  const status = h('p', { role: 'status', class: 'status' });
  const tableSlot = h('div', {});
  // Answers the last aggregate_students run left for later: said here too, with the runs.
  const notice = h('div', {});
  const runs = h('div', { class: 'runs' });
  let shown = '';
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** The run the Run now button started: the status line follows it until it ends. */
  let launched: { job: string; id: string } | undefined;

  const runItem = (run: Run, timeZone: string): HTMLElement => {
    const details = h(
      'details',
      {
        ontoggle: () => {
          if (details.open) open.add(run.id);
          else open.delete(run.id);
        },
      },
      h(
        'summary',
        {},
        h('span', { class: `badge ${run.status}` }, run.status),
        ` ${run.trigger} · ${when(run.started_at, timeZone)} · ${duration(run)}`,
        run.status === 'succeeded'
          ? h('span', { class: 'headline' }, ` · ${headline(run.summary)}`)
          : null,
        run.error === null
          ? null
          : h('span', { class: 'run-error' }, ` · ${run.error.code}: ${run.error.message}`),
      ),
      run.progress === null
        ? null
        : h(
            'p',
            { 'data-run-progress': '' },
            `${run.progress.shards_done} of ${run.progress.shards} shards, ${run.progress.continuations} continuations, ${run.progress.invocations} invocations`,
          ),
      h('pre', { 'data-summary': '' }, JSON.stringify(run.summary ?? run.error, null, 2)),
    );
    details.open = open.has(run.id);
    return h('li', { 'data-run-id': run.id, 'data-status': run.status }, details);
  };

  /** A failure in the status line; none once the view is left (its requests were cut). */
  const report = (error: unknown) => {
    if (context.signal.aborted) return;
    status.textContent = error instanceof Error ? error.message : String(error);
  };

  const launch = async (job: Job) => {
    status.textContent = `Starting ${job.function}…`;
    try {
      const { run } = await request(local.startJob(job.function), launchedSchema, {
        signal: context.signal,
        method: 'POST',
        token: false,
      });
      status.textContent = `${job.function} started (run ${run.id}).`;
      launched = { job: job.function, id: run.id };
    } catch (error) {
      if (error instanceof ApiError && error.status === 409)
        status.textContent = `${job.function} is already running.`;
      else report(error);
    }
    await refresh().catch(report);
    // A run just started: poll at the fast pace from now, not after the slow wait.
    poll();
  };

  const draw = (jobs: readonly Job[]) => {
    notice.replaceChildren(waitingNotice(jobs, { parents: true }) ?? '');
    tableSlot.replaceChildren(
      table<Job>({
        name: 'jobs',
        caption: 'Scheduled jobs',
        showCaption: false,
        columns: [
          {
            header: 'Job',
            rowHeader: true,
            value: (job) => [job.function, job.workflow ? h('small', {}, ' workflow') : null],
          },
          {
            header: 'Schedule',
            value: (job) => [
              h('code', {}, job.schedule),
              ` ${job.timezone}`,
              job.enabled
                ? null
                : h(
                    'span',
                    { class: 'disabled', 'data-disabled': job.function },
                    job.disabled_reason === null
                      ? ' (disabled)'
                      : ` (disabled: ${job.disabled_reason})`,
                  ),
            ],
          },
          {
            header: 'Next run',
            // In the schedule's own zone, so it reads against the cron beside it.
            value: (job) => when(job.next_run, job.timezone),
            cell: (job) => ({ 'data-next-run': job.function }),
          },
          {
            header: 'Now',
            value: (job) => (job.current === null ? 'idle' : progressOf(job.current, job.timezone)),
          },
          {
            header: '',
            value: (job) =>
              h(
                'button',
                {
                  type: 'button',
                  'data-run-now': job.function,
                  disabled: job.running,
                  onclick: () => void launch(job),
                },
                'Run now',
              ),
          },
        ],
        rows: jobs,
        row: (job) => ({ 'data-job': job.function }),
      }),
    );
    runs.replaceChildren(
      ...jobs.map((job) => {
        const item = (run: Run) => runItem(run, job.timezone);
        // Runs kept in the data folder by an earlier stack: said so, not mixed with this one's.
        const before = job.runs.filter((run) => Date.parse(run.started_at) < Date.parse(job.since));
        const now = job.runs.filter((run) => !before.includes(run));
        return h(
          'section',
          { 'data-runs': job.function },
          h('h2', {}, `Recent runs of ${job.function}`),
          job.definition === null
            ? null
            : h(
                'figure',
                { class: 'scroll chart workflow', 'data-workflow-of': job.function },
                h(
                  'figcaption',
                  {},
                  `${job.function}'s workflow, its states and transitions as Step Functions runs them`,
                ),
                // The run under way, else the last one: its execution as it was left.
                workflowDiagram(
                  job.function,
                  job.definition,
                  (job.current ?? job.runs[0])?.execution ?? null,
                ),
              ),

          now.length === 0 && job.current === null
            ? h('p', {}, `No runs since this start (${when(job.since, job.timezone)}).`)
            : h(
                'ol',
                { class: 'run-list' },
                job.current === null ? null : item(job.current),
                now.map(item),
              ),
          before.length === 0
            ? null
            : [
                h('h3', {}, 'Kept from before this start'),
                h('ol', { class: 'run-list', 'data-kept': job.function }, before.map(item)),
              ],
        );
      }),
    );
  };

  /** Says how the launched run ended once it has: the line never says "started" after. */
  const follow = (jobs: readonly Job[]) => {
    if (launched === undefined) return;
    const { job: name, id } = launched;
    const job = jobs.find((j) => j.function === name);
    const run = job?.current?.id === id ? job.current : job?.runs.find((r) => r.id === id);
    if (run === undefined || job === undefined) return;
    if (run.status === 'running') {
      const p = run.progress;
      status.textContent = `${name} running since ${when(run.started_at, job.timezone)} (run ${id})${p === null ? '' : `: ${p.shards_done} of ${p.shards} shards`}.`;
      return;
    }
    launched = undefined;
    status.textContent = `${name} ${run.status} at ${when(run.finished_at, job.timezone)} after ${duration(run)} (run ${id})${run.error === null ? '' : `: ${run.error.code}: ${run.error.message}`}.`;
  };

  const refresh = async (): Promise<void> => {
    const { jobs } = await request(local.jobs(), jobsSchema, {
      signal: context.signal,
      token: false,
    });
    busy = jobs.some((job) => job.running);
    follow(jobs);
    const text = JSON.stringify(jobs);
    if (text !== shown) {
      shown = text;
      draw(jobs);
    }
  };

  const poll = () => {
    clearTimeout(timer);
    if (context.signal.aborted) return;
    timer = setTimeout(
      () => {
        refresh().catch(report).finally(poll);
      },
      busy ? FAST_POLL_MS : SLOW_POLL_MS,
    );
  };

  await refresh();
  poll();
  context.signal.addEventListener('abort', () => clearTimeout(timer));
  return h(
    'section',
    { 'data-view': 'jobs' },
    h('h1', {}, 'Jobs'),
    status,
    notice,
    tableSlot,
    runs,
  );
};
