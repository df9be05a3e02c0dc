/**
 * module_results and record_answers on PostgreSQL, written by hand:
 * - the floor: the function without the port. The reads (and writes) the function sends,
 *   in plain SQL on the same `pg` pool, same access paths and concurrency, rows validated,
 *   and the function's own work done the same way (module_results' figures computed by
 *   `computeModuleResults`; record_answers' body validated by `validateAnswers`), so that
 *   the ratio is the port's cost alone (the raw DynamoDB comparison predates this and does
 *   not compute);
 * - the set-based SQL an expert would write: module_results' figures in one aggregate
 *   query (GROUPING SETS over the class's answers, a window for the first tries), the
 *   answers and their students' marks in one statement. Shown without a target.
 */
import pMap from 'p-map';
import * as z from 'zod';
import { Params, qualified } from '../../src/adapters/postgres/sql.ts';
import { accuracy } from '../../src/domain/accuracy.ts';
import { computeModuleResults } from '../../src/domain/results/module-results.ts';
import { answerKey, moduleAnswerPrefix, recordedKey } from '../../src/entities/answer.ts';
import { readJsonBody } from '../../src/http/body.ts';
import { createHttpHandler } from '../../src/http/http-handler.ts';
import { ACTIONS, assertMayAttempt } from '../../src/services/access/permissions.ts';
import { validateAnswers } from '../../src/services/answers/validate.ts';
import { ANSWER_QUERY_CONCURRENCY } from '../../src/services/results/module-results.ts';
import type { PostgresParts } from '../context.ts';

/** `LIKE` special characters escaped, so a prefix matches only itself. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const classRow = z.object({
  code: z.string(),
  teacher_id: z.string().nullable(),
  name: z.string().nullable(),
});
const moduleRow = z.object({
  id: z.string(),
  title: z.string().nullable(),
  words: z.array(z.string()),
});
const studentRow = z.object({ id: z.string(), name: z.string().nullable() });
const keyRow = z.object({ student_id: z.string(), answer_key: z.string() });
const answerRow = z.object({
  student_id: z.string(),
  answer_key: z.string(),
  answer_id: z.string(),
  word: z.string(),
  correct: z.boolean(),
  answered_at: z.string(),
  duration_ms: z.number().nullable(),
});

/**
 * module_results without the port: its reads by hand, its figures computed and written as
 * its reply's JSON; returns the answers counted.
 */
export const moduleResultsFloorSql = async (
  { pg, schema }: PostgresParts,
  classCode: string,
  moduleId: string,
): Promise<number> => {
  const t = (name: string) => qualified(schema, name);
  const klass = await pg.query({
    text: `SELECT code, teacher_id, item ->> 'name' AS name FROM ${t('classes')} WHERE code = $1`,
    values: [classCode],
  });
  const klassRows = klass.rows.map((row) => classRow.parse(row));
  const [module, students] = await Promise.all([
    pg.query({
      text: `SELECT id, item ->> 'title' AS title, item -> 'words' AS words FROM ${t('modules')} WHERE id = $1`,
      values: [moduleId],
    }),
    pg.query({
      text: `SELECT id, item ->> 'name' AS name FROM ${t('students')} WHERE class_code = $1 ORDER BY id`,
      values: [classCode],
    }),
  ]);
  const modules = module.rows.map((row) => moduleRow.parse(row));
  const studentRows = students.rows.map((row) => studentRow.parse(row));
  const ids = studentRows.map((row) => row.id);
  const answers = await pMap(
    ids,
    async (id) => {
      const { rows } = await pg.query({
        text: `SELECT student_id, answer_key, item ->> 'answer_id' AS answer_id, item ->> 'word' AS word, (item -> 'correct')::boolean AS correct, item ->> 'answered_at' AS answered_at, (item -> 'duration_ms')::float8 AS duration_ms FROM ${t('answers')} WHERE student_id = $1 AND answer_key LIKE $2 ORDER BY answer_key`,
        values: [id, likePrefix(moduleAnswerPrefix(moduleId))],
      });
      return rows.map((row) => {
        const { duration_ms, ...answer } = answerRow.parse(row);
        return duration_ms === null ? answer : { ...answer, duration_ms };
      });
    },
    { concurrency: ANSWER_QUERY_CONCURRENCY },
  );
  const found = modules[0];
  const results = computeModuleResults({
    classCode,
    className: klassRows[0]?.name ?? null,
    module: { id: moduleId, title: found?.title ?? null, words: found?.words ?? [] },
    students: studentRows,
    answers: answers.flat(),
    range: { start: undefined, end: undefined },
    generatedAt: new Date(),
  });
  // The function's reply is this JSON; writing it is the function's work, not the port's.
  JSON.stringify(results);
  return results.overall.attempts;
};

const figuresRow = z.object({
  student_id: z.string().nullable(),
  word: z.string(),
  attempts: z.number(),
  correct: z.number(),
  students: z.number(),
  first_correct: z.number(),
  median_duration_ms: z.number().nullable(),
});

export interface SetBasedModuleResults {
  readonly words: {
    word: string;
    attempts: number;
    correct: number;
    students_attempted: number;
    first_try_accuracy: number | null;
    median_duration_ms: number | null;
  }[];
  readonly cells: { student_id: string; word: string; attempts: number; correct: number }[];
}

/**
 * module_results' per-word and per-cell figures in one query: the class's answers of the
 * module's words, each numbered in its student's and word's attempts (answered_at, then
 * answer_id, the job's order), grouped by word and by (student, word) at once.
 */
export const moduleResultsSetBasedSql = async (
  { pg, schema }: PostgresParts,
  classCode: string,
  moduleId: string,
): Promise<SetBasedModuleResults> => {
  const t = (name: string) => qualified(schema, name);
  const params = new Params();
  const text = `WITH words AS (
      SELECT DISTINCT jsonb_array_elements_text(item -> 'words') AS word FROM ${t('modules')} WHERE id = ${params.add(moduleId)}
    ), counted AS (
      SELECT a.student_id, a.item ->> 'word' AS word, (a.item -> 'correct')::boolean AS correct, (a.item -> 'duration_ms')::float8 AS duration_ms,
        row_number() OVER (PARTITION BY a.student_id, a.item ->> 'word' ORDER BY (a.item ->> 'answered_at')::timestamptz, a.item ->> 'answer_id' COLLATE "C") AS attempt
      FROM ${t('students')} s JOIN ${t('answers')} a ON a.student_id = s.id AND a.answer_key LIKE ${params.add(likePrefix(moduleAnswerPrefix(moduleId)))}
      WHERE s.class_code = ${params.add(classCode)} AND a.item ->> 'word' IN (SELECT word FROM words)
    )
    SELECT CASE WHEN grouping(student_id) = 0 THEN student_id END AS student_id, word,
      count(*)::int AS attempts, (count(*) FILTER (WHERE correct))::int AS correct,
      count(DISTINCT student_id)::int AS students, (count(*) FILTER (WHERE attempt = 1 AND correct))::int AS first_correct,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median_duration_ms
    FROM counted GROUP BY GROUPING SETS ((word), (student_id, word))`;
  const { rows } = await pg.query(params.statement(text));
  const result: SetBasedModuleResults = { words: [], cells: [] };
  for (const raw of rows) {
    const row = figuresRow.parse(raw);
    if (row.student_id === null) {
      result.words.push({
        word: row.word,
        attempts: row.attempts,
        correct: row.correct,
        students_attempted: row.students,
        first_try_accuracy: accuracy(row.first_correct, row.students),
        median_duration_ms: row.median_duration_ms,
      });
    } else {
      result.cells.push({
        student_id: row.student_id,
        word: row.word,
        attempts: row.attempts,
        correct: row.correct,
      });
    }
  }
  return result;
};

/** What the comparison reads of module_results' reply. */
export const moduleResultsReply = z.object({
  words: z.array(
    z.object({
      word: z.string(),
      attempts: z.number(),
      correct: z.number(),
      students_attempted: z.number(),
      first_try_accuracy: z.number().nullable(),
      median_duration_ms: z.number().nullable(),
    }),
  ),
  cells: z.array(
    z.object({
      student_id: z.string(),
      word: z.string(),
      attempts: z.number(),
      correct: z.number(),
    }),
  ),
});

/** Figures that differ between the reply and the set-based query (words with attempts only). */
export const moduleResultsDiffer = (
  reply: z.infer<typeof moduleResultsReply>,
  set: SetBasedModuleResults,
): string[] => {
  const close = (a: number | null, b: number | null) =>
    a === null || b === null ? a === b : Math.abs(a - b) < 1e-9;
  const differ: string[] = [];
  const words = new Map(set.words.map((w) => [w.word, w]));
  for (const word of reply.words.filter((w) => w.attempts > 0)) {
    const other = words.get(word.word);
    if (
      other === undefined ||
      other.attempts !== word.attempts ||
      other.correct !== word.correct ||
      other.students_attempted !== word.students_attempted ||
      !close(other.first_try_accuracy, word.first_try_accuracy) ||
      !close(other.median_duration_ms, word.median_duration_ms)
    )
      differ.push(`word ${word.word}`);
  }
  const cells = new Map(set.cells.map((c) => [`${c.student_id}/${c.word}`, c]));
  const replyCells = reply.cells.filter((c) => c.attempts > 0);
  for (const cell of replyCells) {
    const other = cells.get(`${cell.student_id}/${cell.word}`);
    if (other === undefined || other.attempts !== cell.attempts || other.correct !== cell.correct)
      differ.push(`cell ${cell.student_id}/${cell.word}`);
  }
  if (set.cells.length !== replyCells.length)
    differ.push(`${set.cells.length} cells against ${replyCells.length}`);
  return differ;
};

export interface StoredAnswer {
  readonly student_id: string;
  readonly answer_key: string;
  readonly [attribute: string]: unknown;
}

/**
 * record_answers without the port, for one batch of one student: the function's own frame
 * (`createHttpHandler`: the event, the caller, the one error reply, metrics), its body read
 * and validated as the function does (`readJsonBody`, `validateAnswers`), then its
 * statements by hand: the rate counter, the existing keys, the open batch, the mark, the
 * answers, the batch closed. So the ratio is what the port adds, not the function's frame.
 */
export const recordAnswersFloorHandler = (
  { pg, schema }: PostgresParts,
  options: {
    readonly studentId: () => string;
    readonly rate: () => boolean;
    /** `LMS_ANSWERS_PER_STUDENT_PER_MINUTE`, checked as the function checks it. */
    readonly cap: number;
  },
) =>
  createHttpHandler('record_answers', async (request, principal) => {
    assertMayAttempt(principal, ACTIONS.postAnswers);
    await recordAnswersFloorSql({ pg, schema }, readJsonBody(request), {
      studentId: options.studentId(),
      rate: options.rate(),
      cap: options.cap,
    });
    return { body: { ok: true } };
  });

const recordAnswersFloorSql = async (
  { pg, schema }: Pick<PostgresParts, 'pg' | 'schema'>,
  body: unknown,
  options: { readonly studentId: string; readonly rate: boolean; readonly cap: number },
): Promise<void> => {
  const t = (name: string) => qualified(schema, name);
  const now = new Date().toISOString();
  // The row the function writes, recorded_key (its local index) included; named property
  // by property, as the function builds it (a literal that starts with a spread is V8's
  // slow path, see services/answers/record-answers.ts).
  const items = validateAnswers(body, new Date()).map((answer) => {
    const key = answerKey(answer.module_id, answer.answer_id);
    return {
      student_id: options.studentId,
      answer_key: key,
      answer_id: answer.answer_id,
      module_id: answer.module_id,
      word: answer.word,
      correct: answer.correct,
      answered_at: answer.answered_at,
      ...(answer.duration_ms === undefined ? {} : { duration_ms: answer.duration_ms }),
      recorded_at: now,
      recorded_key: recordedKey(now, key),
    };
  });
  const batchId = `floor-${now}`;
  if (options.rate) {
    // The window's key need not be the job's: one upsert of one counter costs the same.
    // The cap is the function's too: added only while it holds (no row changed: over it).
    // Like the function's, the counter carries when it may go and the student's expired
    // counters are deleted with the upsert: PostgreSQL has no TTL, so SQL written by hand
    // for the same table needs the same housekeeping or the table grows without end.
    const rates = t('answer_rates');
    const counted = await pg.query({
      text: `WITH expired AS (DELETE FROM ${rates} WHERE student_id = $1 AND window_start <> $2 AND (item ->> 'expires_at')::numeric < extract(epoch FROM now())) INSERT INTO ${rates} (item) VALUES (jsonb_build_object('student_id', $1::text, 'window_start', $2::text, 'answers', $3::int, 'expires_at', $5::bigint)) ON CONFLICT (student_id, window_start) DO UPDATE SET item = ${rates}.item || jsonb_build_object('answers', coalesce((${rates}.item ->> 'answers')::int, 0) + $3::int, 'expires_at', $5::bigint) WHERE coalesce((${rates}.item ->> 'answers')::int, 0) + $3::int <= $4::int`,
      values: [
        options.studentId,
        now.slice(0, 16),
        items.length,
        options.cap,
        Math.ceil(Date.parse(now) / 60_000) * 60 + 3_600,
      ],
    });
    if (counted.rowCount !== 1)
      throw new Error(`the floor's student ${options.studentId} is over the cap`);
  }
  // One primary-key probe per key (a LATERAL ... LIMIT 1 the planner cannot turn into a
  // hash join over the whole table), the keys as two text arrays: as an expert writes it.
  const keys = await pg.query({
    text: `SELECT x.student_id, x.answer_key FROM unnest($1::text[], $2::text[]) AS k(student_id, answer_key) CROSS JOIN LATERAL (SELECT a.student_id, a.answer_key FROM ${t('answers')} AS a WHERE a.student_id = k.student_id AND a.answer_key = k.answer_key LIMIT 1) AS x`,
    values: [items.map((i) => i.student_id), items.map((i) => i.answer_key)],
  });
  for (const row of keys.rows) keyRow.parse(row);
  await pg.query({
    text: `INSERT INTO ${t('answer_batches')} (item) VALUES (jsonb_build_object('student_id', $1::text, 'batch_id', $2::text, 'started_at', $3::text)) ON CONFLICT (student_id, batch_id) DO UPDATE SET item = EXCLUDED.item`,
    values: [options.studentId, batchId, now],
  });
  await pg.query({
    text: `INSERT INTO ${t('student_marks')} (item) VALUES (jsonb_build_object('student_id', $1::text, 'token', gen_random_uuid()::text, 'marked_at', $2::text)) ON CONFLICT (student_id) DO UPDATE SET item = EXCLUDED.item`,
    values: [options.studentId, now],
  });
  await pg.query({
    text: `INSERT INTO ${t('answers')} (item) SELECT value FROM jsonb_array_elements($1::jsonb) ON CONFLICT (student_id, answer_key) DO UPDATE SET item = EXCLUDED.item`,
    values: [JSON.stringify(items)],
  });
  // Closed, and told whether it was still open (the function asks a rebuild if not).
  const closed = await pg.query({
    text: `DELETE FROM ${t('answer_batches')} WHERE student_id = $1 AND batch_id = $2 RETURNING 1`,
    values: [options.studentId, batchId],
  });
  if (closed.rowCount !== 1)
    throw new Error(`the floor's batch ${batchId} was taken for abandoned`);
};

/**
 * The set-based way: the answers not stored yet and their students' marks in one
 * statement (no rate counter, no batch rows, duplicates skipped by the key).
 */
export const recordAnswersSetBasedSql = async (
  { pg, schema }: PostgresParts,
  items: readonly StoredAnswer[],
): Promise<void> => {
  const t = (name: string) => qualified(schema, name);
  await pg.query({
    text: `WITH stored AS (
        INSERT INTO ${t('answers')} (item) SELECT value FROM jsonb_array_elements($1::jsonb) ON CONFLICT (student_id, answer_key) DO NOTHING RETURNING student_id
      )
      INSERT INTO ${t('student_marks')} (item)
      SELECT jsonb_build_object('student_id', student_id, 'token', gen_random_uuid()::text, 'marked_at', $2::text) FROM (SELECT DISTINCT student_id FROM stored) s
      ON CONFLICT (student_id) DO UPDATE SET item = EXCLUDED.item`,
    values: [JSON.stringify(items), new Date().toISOString()],
  });
};

/** Answers stored per student, for the students given. */
export const answersPerStudent = async (
  { pg, schema }: PostgresParts,
  students: readonly string[],
): Promise<Map<string, number>> => {
  const { rows } = await pg.query({
    text: `SELECT student_id, count(*)::int AS n FROM ${qualified(schema, 'answers')} WHERE student_id = ANY($1::text[]) GROUP BY student_id`,
    values: [students],
  });
  return new Map(
    rows.map((row) => {
      const parsed = z.object({ student_id: z.string(), n: z.number() }).parse(row);
      return [parsed.student_id, parsed.n];
    }),
  );
};
