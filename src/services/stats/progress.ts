/** What a stats run reports while it runs (a CLI turns it into a bar or log lines). */
export type StatsProgress =
  | {
      readonly phase: 'read';
      readonly table: string;
      readonly items: number;
      readonly done: boolean;
    }
  | { readonly phase: 'write'; readonly done: number; readonly total: number };

export type StatsProgressListener = (event: StatsProgress) => void;
