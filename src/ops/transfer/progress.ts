/** What export and import report while they run (a CLI turns it into bars or log lines). */
export type TransferProgress =
  | {
      readonly phase: 'export';
      readonly table: string;
      readonly items: number;
      readonly done: boolean;
    }
  | {
      readonly phase: 'verify';
      readonly table: string;
      readonly lines: number;
      readonly total: number;
    }
  | {
      readonly phase: 'import';
      readonly table: string;
      readonly lines: number;
      readonly total: number;
    };

export type TransferListener = (event: TransferProgress) => void;
