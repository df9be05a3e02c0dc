/** The levels of the organisation whose records carry `stats` (DESIGN section 3). */
export const StatsLevel = {
  Class: 'class',
  Teacher: 'teacher',
  School: 'school',
  Group: 'group',
} as const;

export type StatsLevel = (typeof StatsLevel)[keyof typeof StatsLevel];

/** Every level, bottom-up: the order in which a run reports them. */
export const ALL_LEVELS: readonly StatsLevel[] = ['class', 'teacher', 'school', 'group'];

export const isStatsLevel = (value: unknown): value is StatsLevel =>
  typeof value === 'string' && (ALL_LEVELS as readonly string[]).includes(value);

/** The counts each level stores in `stats` (besides `updated_at`). */
export interface LevelCounts {
  readonly class: { readonly students: number };
  readonly teacher: { readonly classes: number; readonly students: number };
  readonly school: {
    readonly teachers: number;
    readonly classes: number;
    readonly students: number;
  };
  readonly group: {
    readonly schools: number;
    readonly teachers: number;
    readonly classes: number;
    readonly students: number;
  };
}
