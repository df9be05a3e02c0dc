/**
 * aggregate_students on PostgreSQL, as set-based SQL an expert would write for the part
 * of its figures SQL expresses directly: per student and per (student, module) the
 * attempts and the correct ones, and the student's last answer, in one aggregate query
 * (GROUPING SETS). Words mastered, streaks and the daily series (what the fold's state
 * exists for) are left out, so this prices the counting, not the whole job; it is shown
 * without a target, and its figures are compared with the job's `student_progress`.
 */
import * as z from 'zod';
import { qualified } from '../../src/adapters/postgres/sql.ts';
import type { PostgresParts } from '../context.ts';

const figureRow = z.object({
  student_id: z.string(),
  module_id: z.string().nullable(),
  attempts: z.number(),
  correct: z.number(),
});

/** `student` or `student/module` → attempts and correct. */
export type Figures = Map<string, { attempts: number; correct: number }>;

const GROUPED = `count(*)::int AS attempts, (count(*) FILTER (WHERE (a.item -> 'correct')::boolean))::int AS correct, max(a.item ->> 'answered_at') AS last_answered_at`;

/**
 * Every student's figures from all its answers (a full rebuild's counting), or only from
 * the answers recorded since `since` of the students marked now (an incremental run's
 * new answers, through the `recorded_key` index).
 */
export const studentFiguresSql = async (
  { pg, schema }: PostgresParts,
  since?: string,
): Promise<Figures> => {
  const t = (name: string) => qualified(schema, name);
  const { rows } =
    since === undefined
      ? await pg.query({
          text: `SELECT a.student_id, CASE WHEN grouping(a.item ->> 'module_id') = 0 THEN a.item ->> 'module_id' END AS module_id, ${GROUPED} FROM ${t('answers')} a GROUP BY GROUPING SETS ((a.student_id), (a.student_id, a.item ->> 'module_id'))`,
          values: [],
        })
      : await pg.query({
          text: `SELECT a.student_id, CASE WHEN grouping(a.item ->> 'module_id') = 0 THEN a.item ->> 'module_id' END AS module_id, ${GROUPED} FROM ${t('student_marks')} m JOIN ${t('answers')} a ON a.student_id = m.student_id AND a.recorded_key >= $1 GROUP BY GROUPING SETS ((a.student_id), (a.student_id, a.item ->> 'module_id'))`,
          values: [since],
        });
  const figures: Figures = new Map();
  for (const raw of rows) {
    const row = figureRow.parse(raw);
    figures.set(row.module_id === null ? row.student_id : `${row.student_id}/${row.module_id}`, {
      attempts: row.attempts,
      correct: row.correct,
    });
  }
  return figures;
};

const progressRow = z.object({
  student_id: z.string(),
  attempts: z.number(),
  correct: z.number(),
  modules: z.record(z.string(), z.object({ attempts: z.number(), correct: z.number() })),
});

/** The job's figures as stored in `student_progress`, keyed as {@link Figures}. */
export const storedFigures = async ({ pg, schema }: PostgresParts): Promise<Figures> => {
  const { rows } = await pg.query({
    text: `SELECT student_id, (item -> 'attempts')::int AS attempts, (item -> 'correct')::int AS correct, coalesce(item -> 'modules', '{}'::jsonb) AS modules FROM ${qualified(schema, 'student_progress')}`,
    values: [],
  });
  const figures: Figures = new Map();
  for (const raw of rows) {
    const row = progressRow.parse(raw);
    // A student without answers has no row in the aggregate query.
    if (row.attempts === 0) continue;
    figures.set(row.student_id, { attempts: row.attempts, correct: row.correct });
    for (const [module, m] of Object.entries(row.modules)) {
      if (m.attempts > 0)
        figures.set(`${row.student_id}/${module}`, { attempts: m.attempts, correct: m.correct });
    }
  }
  return figures;
};

/** Keys whose figures differ between the two. */
export const figuresDiffer = (a: Figures, b: Figures): string[] =>
  [...new Set([...a.keys(), ...b.keys()])].filter((key) => {
    const x = a.get(key);
    const y = b.get(key);
    return x?.attempts !== y?.attempts || x?.correct !== y?.correct;
  });
