/**
 * What the PostgreSQL adapter does that DynamoDB does by itself: TTL (emulated per
 * partition on write), the DynamoDB types JSON lacks (kept as tags), numbers kept exactly.
 * On an in-process PGlite of this file's own.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ITEM } from '../../../src/adapters/postgres/layout.ts';
import { migrate } from '../../../src/adapters/postgres/migrations.ts';
import { qualified } from '../../../src/adapters/postgres/sql.ts';
import { getManyStatement, target } from '../../../src/adapters/postgres/statements.ts';
import { fromJsonText, toJsonText } from '../../../src/adapters/postgres/values.ts';
import { tables } from '../../../src/tables/definitions.ts';
import { ownPglite } from '../../support/own-pglite.ts';

const own = ownPglite('repository-test-');

beforeAll(async () => {
  await migrate(own.connection.pg, own.connection.schema);
});

const rawRows = async (table: string) =>
  (
    await own.connection.pg.query<{ item: Record<string, unknown> }>({
      text: `SELECT ${ITEM} AS item FROM ${qualified(own.connection.schema, table)} ORDER BY 1::text`,
      values: [],
    })
  ).rows.map((row) => row.item);

describe('the PostgreSQL adapter', () => {
  it("deletes a partition's expired items when it writes to it, never the item written", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { db } = own.connection;
    await db.answer_rates.update(
      { student_id: 's-1', window_start: '2026-01-01T00:00:00.000Z' },
      { set: { expires_at: now - 60 }, add: { answers: 5 } },
    );
    await db.answer_rates.update(
      { student_id: 's-2', window_start: '2026-01-01T00:00:00.000Z' },
      { set: { expires_at: now - 60 }, add: { answers: 5 } },
    );
    // A write to s-1's partition removes s-1's expired window, not s-2's.
    await db.answer_rates.update(
      { student_id: 's-1', window_start: '2026-12-07T10:00:00.000Z' },
      { set: { expires_at: now + 120 }, add: { answers: 3 } },
    );
    const rows = await rawRows('answer_rates');
    expect(rows.map((r) => `${r.student_id} ${r.window_start}`).sort()).toEqual([
      's-1 2026-12-07T10:00:00.000Z',
      's-2 2026-01-01T00:00:00.000Z',
    ]);
    // An expired item written again is not purged by its own write.
    await db.answer_rates.update(
      { student_id: 's-2', window_start: '2026-01-01T00:00:00.000Z' },
      { set: { expires_at: now - 30 }, add: { answers: 1 } },
    );
    expect(
      await db.answer_rates.find({ student_id: 's-2', window_start: '2026-01-01T00:00:00.000Z' }),
    ).toMatchObject({ answers: 6 });
  });

  it('keeps string, number and byte sets and bytes through jsonb, and reads a string set of ids as a list', async () => {
    const item = {
      id: 'p-set',
      name: 'Pat',
      student_ids: new Set(['s-1', 's-2']),
      tags: new Set([1, 2.5]),
      blob: new Uint8Array([0, 255, 7]),
      blobs: new Set([new Uint8Array([1]), new Uint8Array([2])]),
    };
    const text = toJsonText(item);
    expect(fromJsonText(text)).toEqual(item);
    await own.connection.pg.query({
      text: `INSERT INTO ${qualified(own.connection.schema, 'parents')} (${ITEM}) VALUES ($1::jsonb)`,
      values: [text],
    });
    expect((await own.connection.db.parents.find({ id: 'p-set' }))?.student_ids.sort()).toEqual([
      's-1',
      's-2',
    ]);
    // An update of ours leaves the app's attributes as they were.
    await own.connection.db.parents.update({ id: 'p-set' }, { set: { name: 'Patricia' } });
    const [stored] = await rawRows('parents');
    expect(stored).toEqual({ ...item, name: 'Patricia' });
  });

  it('keeps a number beyond JavaScript precision exactly in the database', async () => {
    await own.connection.pg.query({
      text: `INSERT INTO ${qualified(own.connection.schema, 'groups')} (${ITEM}) VALUES ($1::jsonb)`,
      values: ['{"code":"g-big","name":"Big","population":12345678901234567890.125}'],
    });
    await own.connection.db.groups.update({ code: 'g-big' }, { set: { name: 'Bigger' } });
    const { rows } = await own.connection.pg.query<{ n: string }>({
      text: `SELECT (${ITEM} -> 'population')::text AS n FROM ${qualified(own.connection.schema, 'groups')} WHERE code = 'g-big'`,
      values: [],
    });
    expect(rows[0]?.n).toBe('12345678901234567890.125');
  });
  it('reads a batch of keys by a primary-key probe each, whatever the statistics say of the table', async () => {
    const { pg, schema } = own.connection;
    const answers = qualified(schema, 'answers');
    // 25,000 rows written after the table's statistics were taken (none analysed since):
    // the size at which a join of the keys with the table was planned as a hash join over
    // a sequential scan of the whole table.
    await pg.query({ text: `ANALYZE ${answers}`, values: [] });
    for (let s = 0; s < 50; s++) {
      const rows = Array.from({ length: 500 }, (_, i) => ({
        student_id: `probe-${s}`,
        answer_key: `m#a-${i}`,
        answer_id: `a-${i}`,
        module_id: 'm',
        word: 'w',
        correct: true,
        answered_at: '2026-01-01T00:00:00.000Z',
        recorded_at: '2026-01-01T00:00:00.000Z',
      }));
      await pg.query({
        text: `INSERT INTO ${answers} (${ITEM}) SELECT value FROM jsonb_array_elements($1::jsonb)`,
        values: [JSON.stringify(rows)],
      });
    }
    const keys = Array.from({ length: 500 }, (_, i) => ({
      student_id: 'probe-new',
      answer_key: `m#a-${i}`,
    }));
    const statement = getManyStatement(target(schema, tables.answers), keys);
    const { rows } = await pg.query<{ 'QUERY PLAN': string }>({
      text: `EXPLAIN ${statement.text}`,
      values: [...statement.values],
    });
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index (Only )?Scan using answers_pkey/);
    expect(plan).not.toMatch(/Seq Scan on answers/);
    // And it finds what is there, once per key asked.
    const found = await own.connection.db.answers.findMany(
      [
        { student_id: 'probe-3', answer_key: 'm#a-7' },
        { student_id: 'probe-3', answer_key: 'm#a-7' },
        { student_id: 'probe-49', answer_key: 'm#a-499' },
        { student_id: 'probe-new', answer_key: 'm#a-1' },
      ],
      { project: ['student_id', 'answer_key'] },
    );
    expect(found.map((a) => `${a.student_id} ${a.answer_key}`).sort()).toEqual([
      'probe-3 m#a-7',
      'probe-49 m#a-499',
    ]);
  });

  it('names the key of an invalid item a projected read skips, though the key is not projected', async () => {
    const { db, pg, schema } = own.connection;
    // Written by hand: the repository would refuse a class_code that is not a string.
    await pg.query({
      text: `INSERT INTO ${qualified(schema, 'students')} (${ITEM}) VALUES ($1::jsonb)`,
      values: [JSON.stringify({ id: 'bad-1', name: 'Ann', parent_ids: [], class_code: 7 })],
    });
    const keys: unknown[] = [];
    const onInvalid = (error: { key: unknown }) => keys.push(error.key);
    const project = ['class_code'] as const;
    await db.students.get({}, { scan: true, project: [...project], onInvalid });
    await db.students.findMany([{ id: 'bad-1' }], { project: [...project], onInvalid });
    expect(await db.students.find({ id: 'bad-1' }, { project: ['name'] })).toEqual({
      name: 'Ann',
    });
    expect(keys).toEqual([{ id: 'bad-1' }, { id: 'bad-1' }]);
    // A valid item read the same way still comes back with the projected attributes only.
    expect(await db.students.findMany([{ id: 'bad-1' }], { project: ['name'] })).toEqual([
      { name: 'Ann' },
    ]);
  });

  it('sends only the attributes a projected read asks for, each with its JSON type', async () => {
    const { db, pg } = own.connection;
    await db.students.put({
      id: 'omit-1',
      name: 'Ann',
      class_code: 'omit',
      parent_ids: ['p-1'],
      nickname: 'Annie',
      level: 3,
      badges: ['a', 'b'],
      note: null,
      active: false,
    });
    const sent: unknown[] = [];
    const query = pg.query.bind(pg);
    const spy = vi.spyOn(pg, 'query').mockImplementation(async (statement) => {
      const result = await query(statement);
      sent.push(...result.rows);
      return result;
    });
    const project = ['id', 'nickname', 'level', 'badges', 'note', 'active', 'missing'] as const;
    try {
      expect(await db.students.get({ class_code: 'omit' }, { project: [...project] })).toEqual([
        {
          id: 'omit-1',
          nickname: 'Annie',
          level: 3,
          badges: ['a', 'b'],
          note: null,
          active: false,
        },
      ]);
    } finally {
      spy.mockRestore();
    }
    // Neither the item nor `name`, `parent_ids` or the index's key left the server: the
    // asked attributes only, typed (then the page's cursor), an absent one as NULL.
    expect(sent).toEqual([
      ['stromit-1', 'strAnnie', 'num3', 'arr["a", "b"]', 'nul', 'boofalse', null, 'omit-1'],
    ]);
  });
});
