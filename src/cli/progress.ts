/**
 * Progress of a long job: bars on a terminal (cli-progress), throttled log lines
 * otherwise (CI, cron, a pipe), always on standard error so results on standard output
 * stay clean. Every job ends with a one-line summary printed by its command.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets a task's value (and total, when known). */
  update(task: string, value: number, total?: number): void;
  /** Marks a task finished (its last value is shown or logged). */
  finish(task: string): void;
  /** Stops drawing; safe to call twice. */
  stop(): void;
}

export interface ProgressOptions {
  /** Where bars are drawn (interactive mode). */
  readonly stream?: NodeJS.WriteStream;
  /** Bars (true) or log lines (false); default: whether the stream is a terminal outside CI. */
  readonly interactive?: boolean;
  /** Where log lines go (non-interactive mode); default: the stream. */
  readonly log?: (line: string) => void;
  /** Non-interactive: at most one line per task this often. */
  readonly logEveryMs?: number;
  readonly clock?: () => number;
}

const describe = (task: string, value: number, total: number | undefined) =>
  total === undefined || total === 0
    ? `${task}: ${value.toLocaleString('en-US')}`
    : `${task}: ${value.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((100 * value) / total)}%)`;

/**
 * @example
 * ```ts
 * const progress = createProgress();
 * progress.update('students read', 5000);
 * progress.update('stats written', 10, 120);
 * progress.stop();
 * ```
 */
export const createProgress = (options: ProgressOptions = {}): Progress => {
  const stream = options.stream ?? process.stderr;
  const interactive = options.interactive ?? (stream.isTTY === true && process.env.CI !== 'true');
  return interactive
    ? barProgress(stream)
    : logProgress(options.log ?? ((line) => stream.write(`${line}\n`)), options);
};

const barProgress = (stream: NodeJS.WriteStream): Progress => {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: false,
      format: (options, params, payload: { task: string; counter: boolean }) =>
        payload.counter
          ? `${payload.task.padEnd(24)} ${params.value.toLocaleString('en-US')}`
          : `${payload.task.padEnd(24)} ${cliProgress.Format.BarFormat(params.progress, options)} ${params.value.toLocaleString('en-US')}/${params.total.toLocaleString('en-US')}`,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  return {
    update(task, value, total) {
      if (stopped) return;
      let bar = bars.get(task);
      if (bar === undefined) {
        bar = multibar.create(total ?? 0, value, { task, counter: total === undefined });
        bars.set(task, bar);
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(value);
    },
    finish(task) {
      bars.get(task)?.render();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multibar.stop();
    },
  };
};

const logProgress = (log: (line: string) => void, options: ProgressOptions): Progress => {
  const every = options.logEveryMs ?? 5_000;
  const clock = options.clock ?? Date.now;
  const lastLogged = new Map<string, number>();
  const loggedValue = new Map<string, number>();
  const last = new Map<string, { value: number; total: number | undefined }>();
  const write = (task: string) => {
    const state = last.get(task);
    if (state === undefined) return;
    loggedValue.set(task, state.value);
    log(describe(task, state.value, state.total));
    lastLogged.set(task, clock());
  };
  return {
    update(task, value, total) {
      last.set(task, { value, total });
      const previous = lastLogged.get(task);
      if (previous === undefined || clock() - previous >= every) write(task);
    },
    finish(task) {
      // The final value, unless that very line was just written.
      if (loggedValue.get(task) !== last.get(task)?.value) write(task);
    },
    stop() {},
  };
};
