/**
 * Where a workflow's execution is, as the Step Functions console shows it: each state the run
 * has entered with its status (running, succeeded, failed) and each Map's iterations started,
 * succeeded and failed. Read from the execution's own events (aws-local-stepfunctions'
 * `eventLogs`), not inferred from the phases' results, and kept as counts, so that a run of
 * thousands of invocations holds a few numbers per state of the definition and never its
 * events. `/_jobs` shows it with each run (`execution`), the console marks it on the drawing.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import * as z from 'zod';
import type { AslDefinition } from '../../catalog/workflows.ts';
import { isRecord } from '../../lib/is-record.ts';

/** One event of an execution's log (the library names the union but does not export it). */
export type ExecutionEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const count = z.number().int().nonnegative();

/**
 * A state's status: `running` while a run (or one of a Map's iterations) is in it, `failed`
 * once it failed for good (caught, or failing the run or its iteration), `succeeded` once it
 * was left normally, `cancelled` when the run or its Map ended while it was still in it (the
 * other iterations of a Map one of whose iterations failed).
 */
export const STATE_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type StateStatus = (typeof STATE_STATUSES)[number];

export const workflowExecutionSchema = z.strictObject({
  /** A timed-out or aborted execution is `failed`, as Step Functions lists it under failures. */
  status: z.enum(['running', 'succeeded', 'failed']),
  /** The states entered so far, by name (a Map's own states too); the others are not listed. */
  states: z.record(
    z.string(),
    z.strictObject({
      status: z.enum(STATE_STATUSES),
      /** How many iterations are in it now (1 for a state outside a Map): 0 unless running. */
      active: count,
    }),
  ),
  /** Each Map state entered, by name: its items (null when its ItemsPath is not a plain path). */
  iterations: z.record(
    z.string(),
    z.strictObject({
      items: count.nullable(),
      started: count,
      succeeded: count,
      failed: count,
    }),
  ),
});
export type WorkflowExecution = z.output<typeof workflowExecutionSchema>;

interface StateCounts {
  active: number;
  succeeded: number;
  failed: number;
}
type Iterations = WorkflowExecution['iterations'][string];

/** The key of where a state runs: the iteration's index inside a Map, this for the top level. */
const TOP = -1;

/** `$`, `$.a.b`: the paths the catalogue writes; anything else is not read (null). */
const atPath = (value: unknown, path: unknown): unknown => {
  if (path === undefined || path === '$') return value;
  if (typeof path !== 'string' || !/^\$(\.[A-Za-z_]\w*)+$/.test(path)) return undefined;
  let at = value;
  for (const field of path.slice(2).split('.')) at = isRecord(at) ? at[field] : undefined;
  return at;
};

/**
 * Folds an execution's events into its {@link WorkflowExecution}.
 *
 * @example
 * ```ts
 * const tracker = new ExecutionTracker(definition);
 * for await (const event of execution.eventLogs) {
 *   tracker.record(event);
 *   onExecution(tracker.snapshot());
 * }
 * ```
 */
export class ExecutionTracker {
  #status: WorkflowExecution['status'] = 'running';
  readonly #states = new Map<string, StateCounts>();
  readonly #iterations = new Map<string, Iterations>();
  /** The Map each state of an ItemProcessor belongs to (names are unique in the definition). */
  readonly #mapOf = new Map<string, string>();
  /**
   * A StateFailed not yet retried or caught, per iteration: if neither follows, the failure
   * ends the iteration (MapIterationFailed) or the run (ExecutionFailed), which name no state.
   */
  readonly #failing = new Map<number, string>();
  /** Iterations whose next StateExited follows a catch: the state failed, it did not succeed. */
  readonly #caught = new Set<number>();

  constructor(private readonly definition: AslDefinition) {
    for (const [name, state] of Object.entries(definition.States)) {
      const processor = state.ItemProcessor;
      if (!isRecord(processor) || !isRecord(processor.States)) continue;
      for (const inner of Object.keys(processor.States)) this.#mapOf.set(inner, name);
    }
  }

  #counts(name: string): StateCounts {
    let counts = this.#states.get(name);
    if (counts === undefined) {
      counts = { active: 0, succeeded: 0, failed: 0 };
      this.#states.set(name, counts);
    }
    return counts;
  }

  #iterationsOf(map: string): Iterations {
    let iterations = this.#iterations.get(map);
    if (iterations === undefined) {
      iterations = { items: null, started: 0, succeeded: 0, failed: 0 };
      this.#iterations.set(map, iterations);
    }
    return iterations;
  }

  /** The state failing in `key` failed for good. */
  #failed(key: number): void {
    const name = this.#failing.get(key);
    this.#failing.delete(key);
    if (name === undefined) return;
    const counts = this.#counts(name);
    counts.active = Math.max(0, counts.active - 1);
    counts.failed += 1;
  }

  record(event: ExecutionEvent): void {
    switch (event.type) {
      case 'ExecutionStarted':
        this.#status = 'running';
        return;
      case 'ExecutionSucceeded':
        this.#status = 'succeeded';
        return;
      case 'ExecutionFailed':
        this.#failed(TOP);
        this.#status = 'failed';
        return;
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
        this.#status = 'failed';
        return;
      case 'MapIterationStarted':
        this.#iterationsOf(event.parentState.name).started += 1;
        return;
      case 'MapIterationSucceeded':
        this.#iterationsOf(event.parentState.name).succeeded += 1;
        return;
      case 'MapIterationFailed':
        this.#failed(event.index);
        this.#iterationsOf(event.parentState.name).failed += 1;
        return;
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        // No workflow of the catalogue has a Parallel state; its branches' states still count.
        return;
    }
    const key = event.index ?? TOP;
    const name = event.state.name;
    const counts = this.#counts(name);
    switch (event.type) {
      case 'StateEntered': {
        counts.active += 1;
        const state = this.definition.States[name];
        if (state?.Type === 'Map' && key === TOP) {
          const items = atPath(atPath(event.state.input, state.InputPath), state.ItemsPath);
          this.#iterationsOf(name).items = Array.isArray(items) ? items.length : null;
        }
        return;
      }
      case 'StateExited':
        counts.active = Math.max(0, counts.active - 1);
        if (this.#caught.delete(key)) return;
        counts.succeeded += 1;
        return;
      case 'StateFailed':
        this.#failing.set(key, name);
        return;
      case 'StateRetried':
        this.#failing.delete(key);
        return;
      case 'StateCaught':
        // The state's StateExited follows: it leaves by its Catch, failed.
        this.#failing.delete(key);
        this.#caught.add(key);
        counts.failed += 1;
        return;
    }
  }

  #statusOf(name: string, counts: StateCounts): { status: StateStatus; active: number } {
    const map = this.#mapOf.get(name);
    const inside = map === undefined || (this.#states.get(map)?.active ?? 0) > 0;
    if (this.#status === 'running' && counts.active > 0 && inside)
      return { status: 'running', active: counts.active };
    if (counts.failed > 0) return { status: 'failed', active: 0 };
    if (counts.succeeded > 0) return { status: 'succeeded', active: 0 };
    return { status: 'cancelled', active: 0 };
  }

  /** A copy: the caller may keep it while the execution goes on. */
  snapshot(): WorkflowExecution {
    return {
      status: this.#status,
      states: Object.fromEntries(
        [...this.#states].map(([name, counts]) => [name, this.#statusOf(name, counts)]),
      ),
      iterations: Object.fromEntries(
        [...this.#iterations].map(([name, iterations]) => [name, { ...iterations }]),
      ),
    };
  }
}
