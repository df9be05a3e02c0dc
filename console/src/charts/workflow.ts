/**
 * A workflow drawn as its states and the transitions between them, as the Step Functions
 * console shows an execution's graph: read from the job's one ASL definition (`/_jobs`'
 * `definition`, src/catalog/workflows.ts), so a state or a transition added there is drawn
 * here without a copy to keep in step. The Map state is a box around the states it runs for
 * each item, with an arrow into its first state and out of its last; the run's execution
 * (`execution`, from its events) colours each state it entered (running, succeeded, failed,
 * cancelled) and writes the shards done on the Map.
 */
import {
  type AslState,
  type Execution,
  STATE_STATUSES,
  type StateStatus,
  type WorkflowDefinition,
} from '../schemas.ts';

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

/**
 * How a transition is written in ASL: `next`, a Choice rule's `choice`, its `default`, a
 * `catch`; `into` a Map's first state and `out` of it from each state that ends an item.
 */
export type TransitionKind = 'next' | 'choice' | 'default' | 'catch' | 'into' | 'out';

export interface Transition {
  readonly from: string;
  /** The target state; for `out`, the Map the item's states run in. */
  readonly to: string;
  readonly kind: TransitionKind;
  /** What the console writes on it: a Choice rule's test, a Catch's errors. */
  readonly label: string;
}

const OPERATORS: readonly (readonly [string, string])[] = [
  ['GreaterThanEquals', '>='],
  ['LessThanEquals', '<='],
  ['GreaterThan', '>'],
  ['LessThan', '<'],
  ['Equals', '=='],
];

/** A Choice rule as a test (`$.busy == true`); a compound rule by its operator. */
const ruleText = (rule: Readonly<Record<string, unknown>>): string => {
  const operator = Object.keys(rule).find((key) => key !== 'Next' && key !== 'Variable');
  if (operator === undefined) return 'choice';
  const symbol = OPERATORS.find(([suffix]) => operator.endsWith(suffix))?.[1];
  const variable = typeof rule.Variable === 'string' ? rule.Variable : '';
  return symbol === undefined
    ? `${variable} ${operator}`.trim()
    : `${variable} ${symbol} ${JSON.stringify(rule[operator])}`;
};

const errorsText = (catcher: Readonly<Record<string, unknown>>): string =>
  Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(', ') : 'error';

/** A state ends its Map's item when it succeeds there: a Succeed state, or one marked End. */
const endsItem = (state: AslState): boolean => state.Type === 'Succeed' || state.End === true;

/** Every transition of a definition, the Map's own states' too. */
export const transitions = (definition: WorkflowDefinition): Transition[] => {
  const of = (from: string, state: AslState): Transition[] => {
    const edge = (kind: TransitionKind, to: string, label = ''): Transition => ({
      from,
      to,
      kind,
      label,
    });
    return [
      ...(state.Next === undefined ? [] : [edge('next', state.Next)]),
      ...(state.Choices ?? []).map((rule) => edge('choice', rule.Next, ruleText(rule))),
      ...(state.Default === undefined ? [] : [edge('default', state.Default, 'Default')]),
      ...(state.Catch ?? []).map((catcher) => edge('catch', catcher.Next, errorsText(catcher))),
    ];
  };
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const inner = state.ItemProcessor;
    if (inner === undefined) return of(name, state);
    return [
      ...of(name, state),
      { from: name, to: inner.StartAt, kind: 'into' as const, label: '' },
      ...Object.entries(inner.States).flatMap(([innerName, innerState]) => [
        ...of(innerName, innerState),
        ...(endsItem(innerState)
          ? [{ from: innerName, to: name, kind: 'out' as const, label: '' }]
          : []),
      ]),
    ];
  });
};

const ROW = 48;
const BOX = { width: 220, height: 30 } as const;
const INDENT = 24;
const PAD = 8;
/** Room under a Map's last state for the arrow out of it. */
const MAP_FOOT = 18;
/** Where the arrows between consecutive rows run: inside every box, outer and inner. */
const STEM_X = PAD + INDENT + 48;
const RIGHT = PAD + BOX.width;
const LANE = 12;
/** The key's columns. */
const KEY_STEP = 78;

const COLOURS: Readonly<
  Record<StateStatus | 'none', { fill: string; stroke: string; width: number }>
> = {
  none: { fill: '#fff', stroke: '#555', width: 1 },
  running: { fill: '#fde9c9', stroke: '#e69f00', width: 3 },
  succeeded: { fill: '#e3f2e1', stroke: '#2e7d32', width: 1.5 },
  failed: { fill: '#fbe0dd', stroke: '#c62828', width: 2.5 },
  cancelled: { fill: '#eee', stroke: '#888', width: 1 },
};
const WORDS: Readonly<Record<StateStatus, string>> = {
  running: 'in progress',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};
const EDGE = '#555';
const CATCH_EDGE = '#c62828';

interface Row {
  readonly name: string;
  readonly state: AslState;
  /** The Map this state runs in, if it is one of its item's states. */
  readonly map: string | undefined;
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/** The drawn rows, top to bottom, and each Map's box (from its own row to its foot). */
const layout = (definition: WorkflowDefinition) => {
  const rows: Row[] = [];
  const maps = new Map<string, { top: number; bottom: number }>();
  let y = PAD;
  for (const name of stateOrder(definition.StartAt, definition.States)) {
    const state = definition.States[name];
    if (state === undefined) continue;
    rows.push({ name, state, map: undefined, x: PAD, y, width: BOX.width });
    y += ROW;
    const inner = state.ItemProcessor;
    if (inner === undefined) continue;
    const top = y - ROW - 4;
    for (const innerName of stateOrder(inner.StartAt, inner.States)) {
      const innerState = inner.States[innerName];
      if (innerState === undefined) continue;
      rows.push({
        name: innerName,
        state: innerState,
        map: name,
        x: PAD + INDENT,
        y,
        width: BOX.width - INDENT,
      });
      y += ROW;
    }
    maps.set(name, { top, bottom: y - ROW + BOX.height + MAP_FOOT - 4 });
    y += MAP_FOOT;
  }
  return { rows, maps, height: y };
};

/** An arrow's path and where its label goes (right-aligned there). */
interface Route {
  readonly d: string;
  readonly labelAt: { readonly x: number; readonly y: number; readonly anchor: 'start' | 'end' };
}

/**
 * The arrows: straight down between a state and the next row (a Map leaving from its box's
 * foot), else round the boxes in a lane of their own, on the right, or on the left inside a
 * Map for a loop between its own states, as the Step Functions console routes a loop. Also
 * how far right the lanes reach.
 */
const routes = (
  edges: readonly Transition[],
  rows: readonly Row[],
  maps: ReadonlyMap<string, { top: number; bottom: number }>,
): { drawn: (Route | undefined)[]; right: number } => {
  const rowOf = new Map(rows.map((row, i) => [row.name, { row, i }]));
  /** The last row a state occupies: a Map's last inner one. */
  const lastRow = (name: string, i: number) => {
    let last = i;
    while (rows[last + 1]?.map === name) last += 1;
    return last;
  };
  const lanes: { side: 'left' | 'right'; lane: number; low: number; high: number }[] = [];
  const laneFor = (side: 'left' | 'right', from: number, to: number) => {
    const [low, high] = from < to ? [from, to] : [to, from];
    let lane = 0;
    while (lanes.some((l) => l.side === side && l.lane === lane && l.low <= high && low <= l.high))
      lane += 1;
    lanes.push({ side, lane, low, high });
    return lane;
  };
  const span = (edge: Transition) =>
    Math.abs((rowOf.get(edge.to)?.i ?? 0) - (rowOf.get(edge.from)?.i ?? 0));
  const drawn: (Route | undefined)[] = edges.map(() => undefined);
  let right = RIGHT;
  // The shorter arrows take the inner lanes.
  const order = edges.map((edge, i) => ({ edge, i })).sort((a, b) => span(a.edge) - span(b.edge));
  for (const { edge, i } of order) {
    const from = rowOf.get(edge.from);
    const to = rowOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    // A Map's arrows onward leave from its box's foot; the one into its item from its own row.
    const box = edge.kind === 'into' ? undefined : maps.get(edge.from);
    const leaves = box === undefined ? from.i : lastRow(edge.from, from.i);
    const bottom = box === undefined ? from.row.y + BOX.height : box.bottom;
    const below = { x: STEM_X + 6, y: bottom + 12, anchor: 'start' } as const;
    if (edge.kind === 'out' || to.i === leaves + 1) {
      const end = edge.kind === 'out' ? (maps.get(edge.to)?.bottom ?? bottom) : to.row.y;
      drawn[i] = { d: `M${STEM_X},${bottom} V${end}`, labelAt: below };
      continue;
    }
    const fromMid = box === undefined ? from.row.y + BOX.height / 2 : box.bottom - 8;
    const toMid = to.row.y + BOX.height / 2;
    if (from.row.map !== undefined && from.row.map === to.row.map) {
      const x = from.row.x - 6 - laneFor('left', leaves, to.i) * 6;
      drawn[i] = {
        d: `M${from.row.x},${fromMid} H${x} V${toMid} H${to.row.x}`,
        labelAt: { x: RIGHT - 4, y: from.row.y - 4, anchor: 'end' },
      };
      continue;
    }
    // From a Map, from its box's right side.
    const start = box === undefined ? RIGHT : RIGHT + 4;
    const x = RIGHT + PAD + LANE * (1 + laneFor('right', leaves, to.i));
    right = Math.max(right, x);
    drawn[i] = {
      d: `M${start},${fromMid} H${x} V${toMid} H${RIGHT}`,
      labelAt: { x: RIGHT - 4, y: bottom + 12, anchor: 'end' },
    };
  }
  return { drawn, right };
};

const arrowHead = (id: string, colour: string) =>
  svg(
    'marker',
    {
      id,
      viewBox: '0 0 10 10',
      refX: 10,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }),
  );

type Iterations = Execution['iterations'][string];

/** A Map's items: as many as its input holds, else (a path not read) those started so far. */
const itemsOf = (iterations: Iterations): number => iterations.items ?? iterations.started;

/** The Map's line: its items done of all, and those failed. */
const shardsText = (iterations: Iterations): string => {
  const failed = iterations.failed > 0 ? `, ${iterations.failed} failed` : '';
  return `shards done ${iterations.succeeded} of ${itemsOf(iterations)}${failed}`;
};

/** What an arrow's tooltip adds for the arrows ASL does not write as a transition. */
const KIND_NOTES: Readonly<Partial<Record<TransitionKind, string>>> = {
  into: ' (into the Map: each item)',
  out: ' (out of the Map: its item done)',
};

/**
 * @example
 * ```ts
 * figure.append(workflowDiagram(job.function, job.definition, (job.current ?? job.runs[0])?.execution ?? null));
 * ```
 */
export const workflowDiagram = (
  job: string,
  definition: WorkflowDefinition,
  execution: Execution | null,
): SVGSVGElement => {
  const { rows, maps, height: drawnHeight } = layout(definition);
  const edges = transitions(definition);
  const { drawn: paths, right } = routes(edges, rows, maps);
  const arrow = `workflow-arrow-${job}`;
  const catchArrow = `workflow-catch-${job}`;
  const marks: SVGElement[] = [
    svg('defs', {}, arrowHead(arrow, EDGE), arrowHead(catchArrow, CATCH_EDGE)),
  ];
  for (const [name, box] of maps) {
    const status = execution?.states[name]?.status;
    marks.push(
      svg('rect', {
        x: PAD - 4,
        y: box.top,
        width: BOX.width + 8,
        height: box.bottom - box.top,
        rx: 6,
        fill: 'none',
        stroke: status === undefined ? '#888' : COLOURS[status].stroke,
        'stroke-dasharray': '4,3',
        class: 'workflow-map',
        'data-map': name,
      }),
    );
  }
  for (const row of rows) {
    const live = execution?.states[row.name];
    const colour = COLOURS[live?.status ?? 'none'];
    const iterations = execution?.iterations[row.name];
    const isMap = row.state.ItemProcessor !== undefined;
    const label = `${row.name} (${row.state.Type}${isMap ? ', one per shard' : ''})`;
    const now =
      live === undefined
        ? ''
        : `: ${WORDS[live.status]}${live.active > 1 ? `, in ${live.active} shards` : ''}`;
    const side =
      isMap && iterations !== undefined
        ? shardsText(iterations)
        : live !== undefined && live.active > 1
          ? `${row.state.Type} ×${live.active}`
          : row.state.Type;
    const group = svg(
      'g',
      {
        'data-state': row.name,
        class: `workflow-state${live === undefined ? '' : ` ${live.status}`}`,
      },
      svg('title', {}, `${label}${now}`),
      svg('rect', {
        x: row.x,
        y: row.y,
        width: row.width,
        height: BOX.height,
        rx: 4,
        fill: colour.fill,
        stroke: colour.stroke,
        'stroke-width': colour.width,
        ...(live?.status === 'cancelled' ? { 'stroke-dasharray': '3,2' } : {}),
      }),
      svg('text', { x: row.x + 8, y: row.y + 20, 'font-size': 13 }, row.name),
      svg(
        'text',
        {
          x: row.x + row.width - 8,
          y: row.y + 20,
          'font-size': 11,
          fill: '#444',
          'text-anchor': 'end',
        },
        side,
      ),
    );
    if (live !== undefined) group.setAttribute('data-status', live.status);
    if (live?.status === 'running') group.setAttribute('data-live', '');
    if (isMap)
      group.setAttribute(
        'data-shards-done',
        iterations === undefined ? '' : `${iterations.succeeded}/${itemsOf(iterations)}`,
      );
    marks.push(group);
  }
  edges.forEach((edge, i) => {
    const route = paths[i];
    if (route === undefined) return;
    const isCatch = edge.kind === 'catch';
    const title = `${edge.from} → ${edge.to}${KIND_NOTES[edge.kind] ?? ''}${edge.label === '' ? '' : `: ${edge.label}`}`;
    marks.push(
      svg(
        'g',
        { 'data-edge': '', 'data-from': edge.from, 'data-to': edge.to, 'data-kind': edge.kind },
        svg('title', {}, title),
        svg('path', {
          d: route.d,
          fill: 'none',
          stroke: isCatch ? CATCH_EDGE : EDGE,
          'stroke-width': 1.2,
          ...(isCatch ? { 'stroke-dasharray': '5,3' } : {}),
          'marker-end': `url(#${isCatch ? catchArrow : arrow})`,
          class: 'workflow-edge',
        }),
        ...(edge.kind === 'choice' || edge.kind === 'default'
          ? [
              svg(
                'text',
                {
                  x: route.labelAt.x,
                  y: route.labelAt.y,
                  'text-anchor': route.labelAt.anchor,
                  'font-size': 10,
                  fill: '#555',
                },
                edge.label,
              ),
            ]
          : []),
      ),
    );
  });
  // The key, as the Step Functions console's: what each colour and the dashed red arrow mean.
  const keyY = drawnHeight + 4;
  STATE_STATUSES.forEach((status, i) => {
    const x = PAD + i * KEY_STEP;
    marks.push(
      svg(
        'g',
        { class: 'workflow-key' },
        svg('rect', {
          x,
          y: keyY,
          width: 12,
          height: 12,
          rx: 2,
          fill: COLOURS[status].fill,
          stroke: COLOURS[status].stroke,
        }),
        svg('text', { x: x + 16, y: keyY + 10, 'font-size': 10, fill: '#444' }, WORDS[status]),
      ),
    );
  });
  const catchKeyY = keyY + 22;
  marks.push(
    svg(
      'g',
      { class: 'workflow-key' },
      svg('path', {
        d: `M${PAD},${catchKeyY} H${PAD + 24}`,
        stroke: CATCH_EDGE,
        'stroke-dasharray': '5,3',
        'marker-end': `url(#${catchArrow})`,
      }),
      svg('text', { x: PAD + 30, y: catchKeyY + 4, 'font-size': 10, fill: '#444' }, 'on an error'),
    ),
  );
  const width = Math.max(KEY_STEP * STATE_STATUSES.length, right) + PAD * 2;
  const height = catchKeyY + 12;
  return svg(
    'svg',
    {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `The states of ${job}'s workflow and the transitions between them${execution === null ? '' : `; the run ${execution.status === 'running' ? 'is in progress' : execution.status}`}`,
      'data-workflow': job,
      ...(execution === null ? {} : { 'data-execution': execution.status }),
    },
    ...marks,
  );
};
