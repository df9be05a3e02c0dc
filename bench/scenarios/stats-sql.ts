/**
 * calc_all_stats on PostgreSQL, written by hand twice:
 * - the floor: the job's own reads and writes in plain SQL on the same `pg` pool, same
 *   access paths (every table, students included, in one scan paged by key, 500 rows a page,
 *   the generated key columns read instead of the jsonb projection), the same in-memory
 *   count (`computeStats`), and one UPDATE per changed record at the job's concurrency;
 * - the set-based SQL an expert would write: per level one `UPDATE ... FROM (SELECT ...
 *   GROUP BY)` that writes only the records whose counts changed, the four run at once.
 * Each variant runs from the same stored state as the job (`saveStats`/`restoreStats`),
 * and its stored result is compared with the job's (`statsOf`).
 */
import pMap from 'p-map';
import * as z from 'zod';
import { Params, qualified } from '../../src/adapters/postgres/sql.ts';
import { computeStats, statsUnchanged } from '../../src/domain/stats/compute.ts';
import { ALL_LEVELS, type StatsLevel } from '../../src/domain/stats/levels.ts';
import type {
  ClassRecord,
  GroupRecord,
  SchoolRecord,
  TeacherRecord,
} from '../../src/domain/stats/snapshot.ts';
import { DEFAULT_WRITE_CONCURRENCY } from '../../src/services/stats/run-stats.ts';
import type { PostgresParts } from '../context.ts';

const PAGE = 500;

/** The tables of the four levels, their key column. */
const LEVEL_TABLES: Record<StatsLevel, { table: string; key: string }> = {
  class: { table: 'classes', key: 'code' },
  teacher: { table: 'teachers', key: 'id' },
  school: { table: 'schools', key: 'code' },
  group: { table: 'groups', key: 'code' },
};

const statsSchema = z.record(z.string(), z.unknown()).nullable();
const studentRow = z.object({ id: z.string(), class_code: z.string().nullable() });
const classRow = z.object({
  code: z.string(),
  teacher_id: z.string().nullable(),
  school_code: z.string().nullable(),
  stats: statsSchema,
});
const teacherRow = z.object({
  id: z.string(),
  school_code: z.string().nullable(),
  stats: statsSchema,
});
const schoolRow = z.object({
  code: z.string(),
  group_code: z.string().nullable(),
  stats: statsSchema,
});
const groupRow = z.object({ code: z.string(), stats: statsSchema });
const keyStatsRow = z.object({ key: z.string(), stats: statsSchema });

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/**
 * Every page of `SELECT <columns> FROM table WHERE <where> AND key > $last ORDER BY key`,
 * each row validated; `where` and its values come first.
 */
const pages = async <R>(
  pg: PostgresParts['pg'],
  from: string,
  columns: string,
  key: string,
  schema: z.ZodType<R>,
  where: (params: Params) => string | undefined,
  each: (row: R) => void,
): Promise<void> => {
  let last: string | undefined;
  for (;;) {
    const params = new Params();
    const conditions = [
      where(params),
      last === undefined ? undefined : `${key} > ${params.add(last)}`,
    ]
      .filter((c) => c !== undefined)
      .join(' AND ');
    const { rows } = await pg.query(
      params.statement(
        `SELECT ${columns}, ${key} AS page_key FROM ${from}${conditions === '' ? '' : ` WHERE ${conditions}`} ORDER BY ${key} LIMIT ${params.add(PAGE)}::int`,
      ),
    );
    for (const row of rows) each(schema.parse(row));
    const lastRow = rows.at(-1);
    if (rows.length < PAGE || lastRow === undefined) return;
    last = z.object({ page_key: z.string() }).parse(lastRow).page_key;
  }
};

/** The floor: the job's reads and writes, by hand. Returns how many records it wrote. */
export const statsFloorSql = async (
  postgres: PostgresParts,
  updatedAt: string,
): Promise<number> => {
  const { pg, schema } = postgres;
  const t = (name: string) => qualified(schema, name);
  const studentsPerClass = new Map<string, number>();
  let unassignedStudents = 0;
  const classes = new Map<string, ClassRecord>();
  const teachers = new Map<string, TeacherRecord>();
  const schools = new Map<string, SchoolRecord>();
  const groups = new Map<string, GroupRecord>();
  await Promise.all([
    // Students in one paged scan, as the job reads them here: the PostgreSQL repository
    // pages a scan in key order and does not split it into the DynamoDB scan's segments.
    pages(
      pg,
      t('students'),
      'class_code',
      'id',
      studentRow.omit({ id: true }),
      () => undefined,
      (row) => {
        if (row.class_code === null) unassignedStudents += 1;
        else studentsPerClass.set(row.class_code, (studentsPerClass.get(row.class_code) ?? 0) + 1);
      },
    ),
    pages(
      pg,
      t('classes'),
      "code, teacher_id, school_code, item -> 'stats' AS stats",
      'code',
      classRow,
      () => undefined,
      (row) => {
        classes.set(row.code, {
          teacherId: orUndefined(row.teacher_id),
          schoolCode: orUndefined(row.school_code),
          stats: orUndefined(row.stats),
        });
      },
    ),
    pages(
      pg,
      t('teachers'),
      "id, school_code, item -> 'stats' AS stats",
      'id',
      teacherRow,
      () => undefined,
      (row) => {
        teachers.set(row.id, {
          schoolCode: orUndefined(row.school_code),
          stats: orUndefined(row.stats),
        });
      },
    ),
    pages(
      pg,
      t('schools'),
      "code, group_code, item -> 'stats' AS stats",
      'code',
      schoolRow,
      () => undefined,
      (row) => {
        schools.set(row.code, {
          groupCode: orUndefined(row.group_code),
          stats: orUndefined(row.stats),
        });
      },
    ),
    pages(
      pg,
      t('groups'),
      "code, item -> 'stats' AS stats",
      'code',
      groupRow,
      () => undefined,
      (row) => {
        groups.set(row.code, { stats: orUndefined(row.stats) });
      },
    ),
  ]);
  const { targets } = computeStats(
    {
      studentsPerClass,
      unassignedStudents,
      classes,
      teachers,
      schools,
      groups,
    },
    ALL_LEVELS,
  );
  const changed = targets.filter((target) => !statsUnchanged(target.stored, target.counts));
  await pMap(
    changed,
    (target) => {
      const { table, key } = LEVEL_TABLES[target.level];
      const params = new Params();
      const stats = params.json({ ...target.counts, updated_at: updatedAt });
      return pg.query(
        params.statement(
          `UPDATE ${t(table)} SET item = jsonb_set(item, '{stats}', ${stats}) WHERE ${key} = ${params.add(target.key)}`,
        ),
      );
    },
    { concurrency: DEFAULT_WRITE_CONCURRENCY },
  );
  return changed.length;
};

/** Each level's counts in one query: `(key, counts jsonb)` for every record of the level. */
const countsSql = (schema: string): Record<StatsLevel, string> => {
  const t = (name: string) => qualified(schema, name);
  const perClass = `SELECT class_code, count(*)::int AS n FROM ${t('students')} WHERE class_code IS NOT NULL GROUP BY class_code`;
  const perSchool = `SELECT sc.code, sc.group_code, coalesce(te.n, 0) AS teachers, coalesce(cl.n, 0) AS classes, coalesce(cl.students, 0) AS students
    FROM ${t('schools')} sc
    LEFT JOIN (SELECT school_code, count(*)::int AS n FROM ${t('teachers')} WHERE school_code IS NOT NULL GROUP BY school_code) te ON te.school_code = sc.code
    LEFT JOIN (SELECT c.school_code, count(*)::int AS n, coalesce(sum(pc.n), 0)::int AS students FROM ${t('classes')} c LEFT JOIN (${perClass}) pc ON pc.class_code = c.code WHERE c.school_code IS NOT NULL GROUP BY c.school_code) cl ON cl.school_code = sc.code`;
  return {
    class: `SELECT c.code AS key, jsonb_build_object('students', coalesce(pc.n, 0)) AS counts FROM ${t('classes')} c LEFT JOIN (${perClass}) pc ON pc.class_code = c.code`,
    teacher: `SELECT te.id AS key, jsonb_build_object('classes', count(c.code)::int, 'students', coalesce(sum(pc.n), 0)::int) AS counts
      FROM ${t('teachers')} te LEFT JOIN ${t('classes')} c ON c.teacher_id = te.id LEFT JOIN (${perClass}) pc ON pc.class_code = c.code GROUP BY te.id`,
    school: `SELECT code AS key, jsonb_build_object('teachers', teachers, 'classes', classes, 'students', students) AS counts FROM (${perSchool}) s`,
    group: `SELECT g.code AS key, jsonb_build_object('schools', count(s.code)::int, 'teachers', coalesce(sum(s.teachers), 0)::int, 'classes', coalesce(sum(s.classes), 0)::int, 'students', coalesce(sum(s.students), 0)::int) AS counts
      FROM ${t('groups')} g LEFT JOIN (${perSchool}) s ON s.group_code = g.code GROUP BY g.code`,
  };
};

/**
 * The set-based way: per level, one UPDATE of the records whose stored counts differ from
 * the computed ones (`updated_at` left out of the comparison, as the job leaves it out),
 * the four statements at once. Returns how many records they wrote.
 */
export const statsSetBasedSql = async (
  postgres: PostgresParts,
  updatedAt: string,
): Promise<number> => {
  const { pg, schema } = postgres;
  const counts = countsSql(schema);
  const written = await Promise.all(
    ALL_LEVELS.map(async (level) => {
      const { table, key } = LEVEL_TABLES[level];
      const params = new Params();
      const stamp = params.json({ updated_at: updatedAt });
      const { rowCount } = await pg.query(
        params.statement(
          `UPDATE ${qualified(schema, table)} AS r SET item = jsonb_set(r.item, '{stats}', n.counts || ${stamp}) FROM (${counts[level]}) n WHERE r.${key} = n.key AND (r.item -> 'stats') - 'updated_at' IS DISTINCT FROM n.counts`,
        ),
      );
      return rowCount;
    }),
  );
  return written.reduce((a, b) => a + b, 0);
};

/** Every record's stored `stats` by `level:key` (null where none), for save and compare. */
export type StoredByRecord = Map<string, Record<string, unknown> | null>;

export const statsOf = async (postgres: PostgresParts): Promise<StoredByRecord> => {
  const stored: StoredByRecord = new Map();
  for (const level of ALL_LEVELS) {
    const { table, key } = LEVEL_TABLES[level];
    const { rows } = await postgres.pg.query({
      text: `SELECT ${key} AS key, item -> 'stats' AS stats FROM ${qualified(postgres.schema, table)}`,
      values: [],
    });
    for (const row of rows) {
      const parsed = keyStatsRow.parse(row);
      stored.set(`${level}:${parsed.key}`, parsed.stats);
    }
  }
  return stored;
};

/** Puts back saved `stats` (removed where there were none): the next variant's start. */
export const restoreStats = async (postgres: PostgresParts, saved: StoredByRecord) => {
  for (const level of ALL_LEVELS) {
    const { table, key } = LEVEL_TABLES[level];
    const records = [...saved]
      .filter(([id]) => id.startsWith(`${level}:`))
      .map(([id, stats]) => ({ key: id.slice(level.length + 1), stats }));
    const params = new Params();
    await postgres.pg.query(
      params.statement(
        `UPDATE ${qualified(postgres.schema, table)} AS r SET item = CASE WHEN s.stats IS NULL OR s.stats = 'null'::jsonb THEN r.item - 'stats' ELSE jsonb_set(r.item, '{stats}', s.stats) END FROM jsonb_to_recordset(${params.json(records)}) AS s(key text, stats jsonb) WHERE r.${key} = s.key`,
      ),
    );
  }
};

/**
 * The records whose counts differ between two stored states (`updated_at` left out):
 * empty when a variant computed the same figures as the job.
 */
export const statsDiffer = (a: StoredByRecord, b: StoredByRecord): string[] => {
  const counts = (stats: Record<string, unknown> | null | undefined) =>
    stats === null || stats === undefined
      ? 'none'
      : JSON.stringify(
          Object.entries(stats)
            .filter(([k]) => k !== 'updated_at')
            .sort(([x], [y]) => x.localeCompare(y)),
        );
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => counts(a.get(key)) !== counts(b.get(key)));
};
