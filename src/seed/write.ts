/**
 * Writes a generated organisation through the repositories, in batches, reporting
 * progress. Answers are generated and written a slice of students at a time, so memory
 * holds the organisation but never all answers. Students with answers are marked for
 * the aggregate jobs, exactly as `record_answers` marks them.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Entity } from '../repositories/db.ts';
import {
  buildOrganisation,
  ORGANISATION_TABLES,
  type OrganisationTable,
  type SeedPlan,
  studentAnswers,
} from './generate.ts';
import { simulatedAnswers } from './simulated.ts';

export interface SeedProgress {
  readonly table: string;
  readonly written: number;
  readonly total: number | undefined;
}

export interface SeedSummary {
  readonly seed: number;
  readonly today: string;
  readonly written: Readonly<Record<string, number>>;
  readonly duration_ms: number;
}

export interface WriteSeedOptions {
  readonly onProgress?: (progress: SeedProgress) => void;
  /** Items per `putMany` call. */
  readonly chunk?: number;
  /** Students whose answers are generated and written together. */
  readonly studentsPerSlice?: number;
  /**
   * Stops the seed between two batches (it rejects with the signal's reason). What was
   * written stays; writing the same plan again completes it, since every item is the same.
   */
  readonly signal?: AbortSignal;
}

const inChunks = async <T>(
  items: readonly T[],
  size: number,
  write: (chunk: T[]) => Promise<void>,
  progress: (written: number) => void,
  signal: AbortSignal | undefined,
) => {
  for (let i = 0; i < items.length; i += size) {
    signal?.throwIfAborted();
    const chunk = items.slice(i, i + size);
    await write(chunk);
    progress(i + chunk.length);
  }
};

/**
 * @example
 * ```ts
 * await writeSeed(db, { size: SEED_SIZES.small, seed: 1, today: '2026-11-24', timezone: 'Asia/Shanghai' });
 * ```
 */
export const writeSeed = async (
  db: Db,
  plan: SeedPlan,
  options: WriteSeedOptions = {},
): Promise<SeedSummary> => {
  const started = performance.now();
  const chunk = options.chunk ?? 1_000;
  const org = buildOrganisation(plan);
  const written: Record<string, number> = {};
  const report = (table: string, total: number | undefined) => (count: number) => {
    written[table] = count;
    options.onProgress?.({ table, written: count, total });
  };

  const write = async <N extends OrganisationTable>(table: N) => {
    const items: readonly Entity<N>[] = org[table];
    await inChunks(
      items,
      chunk,
      (c) => db[table].putMany(c),
      report(table, items.length),
      options.signal,
    );
  };
  for (const table of ORGANISATION_TABLES) await write(table);

  const levelOf = new Map(org.classes.map((klass) => [klass.code, Number(klass.level ?? 1)]));
  const slice = options.studentsPerSlice ?? 200;
  let answers = 0;
  let marks = 0;
  const markedAt = new Date().toISOString();
  for (let i = 0; i < org.students.length; i += slice) {
    options.signal?.throwIfAborted();
    const students = org.students.slice(i, i + slice);
    const batch = students.flatMap((student) => {
      const level = levelOf.get(student.class_code ?? '') ?? 1;
      return plan.learners === 'simulated'
        ? [...simulatedAnswers(plan, student, level, org.modules)].map(({ answer }) => answer)
        : [...studentAnswers(plan, student, level, org.modules)];
    });
    const touched = [...new Set(batch.map((answer) => answer.student_id))];
    await db.answers.putMany(batch);
    if (touched.length > 0) {
      await db.student_marks.putMany(
        touched.map((studentId) => ({
          student_id: studentId,
          token: randomUUID(),
          marked_at: markedAt,
        })),
      );
    }
    answers += batch.length;
    marks += touched.length;
    written.answers = answers;
    written.student_marks = marks;
    // Answers have no total known in advance; the students done so far make the bar.
    options.onProgress?.({
      table: 'answers (by student)',
      written: Math.min(org.students.length, i + slice),
      total: org.students.length,
    });
  }
  return {
    seed: plan.seed,
    today: plan.today,
    written,
    duration_ms: Math.round(performance.now() - started),
  };
};
