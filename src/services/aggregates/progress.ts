/** What an aggregate run reports while it runs (a CLI turns it into bars or log lines). */
export type AggregateProgress =
  | {
      readonly phase: 'read';
      /** What is being read (`student_marks`, `students`, ...). */
      readonly table: string;
      readonly items: number;
      readonly done: boolean;
    }
  | {
      readonly phase: 'compute';
      readonly unit: 'students' | 'parents';
      readonly done: number;
      readonly total: number;
    };

export type AggregateProgressListener = (event: AggregateProgress) => void;
