/**
 * A workflow drawn as its states, as the Step Functions console shows an execution: read
 * from the job's one ASL definition (`/_jobs`' `definition`, src/catalog/workflows.ts), so a
 * state added there is drawn here without a copy to keep in step. The Map state is a box
 * around the states it runs for each shard; the live state is outlined and the shards done
 * written on the Map.
 */
import type { AslState, WorkflowDefinition } from '../schemas.ts';

const SVG = 'http://www.w3.org/2000/svg';

const svg = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | number>>,
  ...children: readonly (SVGElement | string)[]
): SVGElementTagNameMap[K] => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
};

/** Where a state goes when it succeeds: Next, then each Choice, then the Default. */
const onward = (state: AslState): string[] => [
  ...(state.Next === undefined ? [] : [state.Next]),
  ...(state.Choices ?? []).map((c) => c.Next),
  ...(state.Default === undefined ? [] : [state.Default]),
];

/**
 * Every state reachable from `start`, each once: the run's own path first, in the order a
 * run meets its states, then the states only a failure reaches (each Catch's target), so
 * the drawing reads top to bottom as a good night does.
 */
export const stateOrder = (start: string, states: Readonly<Record<string, AslState>>): string[] => {
  const order: string[] = [];
  const walk = (first: readonly string[]) => {
    const queue = [...first];
    while (queue.length > 0) {
      const name = queue.shift();
      const state = name === undefined ? undefined : states[name];
      if (name === undefined || state === undefined || order.includes(name)) continue;
      order.push(name);
      queue.push(...onward(state));
    }
  };
  walk([start]);
  walk(order.flatMap((name) => (states[name]?.Catch ?? []).map((c) => c.Next)));
  return order;
};

export interface LiveRun {
  /** The state the run is in (a top-level one, or one inside the Map), if it runs. */
  readonly state: string | undefined;
  readonly shards: number;
  readonly shardsDone: number;
}

const ROW = 44;
const BOX = { width: 220, height: 30 } as const;
const INDENT = 24;

export const workflowDiagram = (
  job: string,
  definition: WorkflowDefinition,
  live: LiveRun | undefined,
): SVGSVGElement => {
  const rows: { name: string; state: AslState; depth: number }[] = [];
  for (const name of stateOrder(definition.StartAt, definition.States)) {
    const state = definition.States[name];
    if (state === undefined) continue;
    rows.push({ name, state, depth: 0 });
    const inner = state.ItemProcessor;
    if (inner !== undefined)
      for (const innerName of stateOrder(inner.StartAt, inner.States)) {
        const innerState = inner.States[innerName];
        if (innerState !== undefined) rows.push({ name: innerName, state: innerState, depth: 1 });
      }
  }
  const height = rows.length * ROW + 16;
  const width = BOX.width + INDENT * 2 + 200;
  const marks: SVGElement[] = [];
  rows.forEach((row, i) => {
    const y = 8 + i * ROW;
    const x = 8 + row.depth * INDENT;
    const isLive = live?.state === row.name;
    const isMap = row.state.ItemProcessor !== undefined;
    if (isMap) {
      // The Map's box encloses the rows of the states it runs per shard.
      const innerRows = rows.slice(i + 1).findIndex((r) => r.depth === 0);
      const count = innerRows === -1 ? rows.length - i - 1 : innerRows;
      marks.push(
        svg('rect', {
          x: x - 4,
          y: y - 4,
          width: BOX.width + INDENT + 8,
          height: (count + 1) * ROW,
          rx: 6,
          fill: 'none',
          stroke: '#888',
          'stroke-dasharray': '4,3',
          class: 'workflow-map',
        }),
      );
    }
    const label = `${row.name} (${row.state.Type}${isMap ? ', one per shard' : ''})`;
    const group = svg(
      'g',
      { 'data-state': row.name, class: isLive ? 'workflow-state live' : 'workflow-state' },
      svg('title', {}, `${label}${isLive ? ': now' : ''}`),
      svg('rect', {
        x,
        y,
        width: BOX.width - row.depth * INDENT,
        height: BOX.height,
        rx: 4,
        fill: isLive ? '#fde9c9' : '#fff',
        stroke: isLive ? '#e69f00' : '#555',
        'stroke-width': isLive ? 3 : 1,
      }),
      svg('text', { x: x + 8, y: y + 20, 'font-size': 13 }, row.name),
      svg(
        'text',
        { x: x + BOX.width - row.depth * INDENT + 8, y: y + 20, 'font-size': 12, fill: '#555' },
        isMap && live !== undefined && live.shards > 0
          ? `${live.shardsDone} of ${live.shards} shards done`
          : row.state.Type,
      ),
    );
    if (isLive) group.setAttribute('data-live', '');
    if (isMap)
      group.setAttribute(
        'data-shards-done',
        live === undefined ? '' : `${live.shardsDone}/${live.shards}`,
      );
    marks.push(group);
  });
  return svg(
    'svg',
    {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `The states of ${job}'s workflow`,
      'data-workflow': job,
    },
    ...marks,
  );
};
