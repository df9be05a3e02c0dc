/**
 * The repository contract: ONE suite that every implementation of the port must pass
 * (the DynamoDB adapter on a real engine, and the in-memory store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { when } from '../../src/repositories/condition.ts';
import type { Db, Entity } from '../../src/repositories/db.ts';
import {
  ConditionFailedError,
  InvalidItemError,
  InvalidRequestError,
  InvalidStoredItemError,
  ScanRequiredError,
} from '../../src/repositories/errors.ts';
import type { PageKey } from '../../src/repositories/repository.ts';
import type { TableName } from '../../src/tables/definitions.ts';
import { answer, klass, module, student } from '../support/fixtures.ts';

export interface ContractSubject {
  readonly db: Db;
  /** Stores an item exactly as given, bypassing validation (as the LMS app might). */
  readonly plant: (table: TableName, item: Record<string, unknown>) => Promise<void>;
  readonly destroy: () => Promise<void>;
}

const collect = async <T>(pages: AsyncIterable<T[]>): Promise<T[][]> => {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
};

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();

export const repositoryContract = (label: string, make: () => Promise<ContractSubject>): void => {
  describe(`repository contract: ${label}`, () => {
    let subject: ContractSubject;
    let db: Db;

    beforeAll(async () => {
      subject = await make();
      db = subject.db;
    });
    afterAll(async () => {
      await subject.destroy();
    });

    describe('reading', () => {
      beforeAll(async () => {
        await db.students.putMany([
          student('r-1', { class_code: 'rc-1', name: 'Ann' }),
          student('r-2', { class_code: 'rc-1', name: 'Bob' }),
          student('r-3', { class_code: 'rc-2', name: 'Ann' }),
          student('r-4', { class_code: 'rc-1', name: 'Cid' }),
        ]);
      });

      it('finds one item by its key, and undefined for a missing key', async () => {
        expect(await db.students.find({ id: 'r-2' })).toEqual(
          student('r-2', { class_code: 'rc-1', name: 'Bob' }),
        );
        expect(await db.students.find({ id: 'nope' })).toBeUndefined();
      });

      it('gets by the full key', async () => {
        expect(ids(await db.students.get({ id: 'r-1' }))).toEqual(['r-1']);
        expect(await db.students.get({ id: 'nope' })).toEqual([]);
      });

      it('gets by an indexed attribute through its index, further equalities filtering', async () => {
        expect(ids(await db.students.get({ class_code: 'rc-1' }))).toEqual(['r-1', 'r-2', 'r-4']);
        expect(ids(await db.students.get({ class_code: 'rc-1', name: 'Ann' }))).toEqual(['r-1']);
        expect(await db.students.get({ class_code: 'rc-none' })).toEqual([]);
      });

      it('refuses an accidental scan, and scans when asked to', async () => {
        await expect(db.students.get({ name: 'Ann' })).rejects.toBeInstanceOf(ScanRequiredError);
        await expect(db.students.get({ name: 'Ann' })).rejects.toMatchObject({
          code: 'SCAN_REQUIRED',
        });
        const found = await db.students.get({ name: 'Ann' }, { scan: true });
        expect(ids(found.filter((s) => s.id.startsWith('r-')))).toEqual(['r-1', 'r-3']);
      });

      it('returns only the projected attributes', async () => {
        const projected = await db.students.get(
          { class_code: 'rc-1' },
          { project: ['id', 'name'] },
        );
        expect(projected).toHaveLength(3);
        for (const item of projected) expect(Object.keys(item).sort()).toEqual(['id', 'name']);
        const one = await db.students.find({ id: 'r-1' }, { project: ['name'] });
        expect(one).toEqual({ name: 'Ann' });
        const many = await db.students.findMany([{ id: 'r-1' }, { id: 'r-2' }], {
          project: ['name'],
        });
        expect(many.map((item) => item.name).sort()).toEqual(['Ann', 'Bob']);
        for (const item of many) expect(Object.keys(item)).toEqual(['name']);
      });

      it('projects attributes the entity does not declare, and only what is projected', async () => {
        await db.students.put({ ...student('rx-1', { class_code: 'rx' }), nickname: 'Annie' });
        const expected = { id: 'rx-1', nickname: 'Annie' };
        expect(
          await db.students.get({ class_code: 'rx' }, { project: ['id', 'nickname'] }),
        ).toEqual([expected]);
        expect(await db.students.find({ id: 'rx-1' }, { project: ['id', 'nickname'] })).toEqual(
          expected,
        );
        expect(
          await db.students.findMany([{ id: 'rx-1' }], { project: ['id', 'nickname'] }),
        ).toEqual([expected]);
        // A declared attribute left out of the projection does not come back.
        expect(await db.students.find({ id: 'rx-1' }, { project: ['nickname'] })).toEqual({
          nickname: 'Annie',
        });
      });

      it('projects every kind of value as it was written', async () => {
        const values = {
          nickname: 'num12',
          empty: '',
          score: 3.25,
          negative: -7,
          on: true,
          off: false,
          nothing: null,
          list: ['a', 2, { b: true }],
          map: { x: 1, y: ['z'] },
          tags: new Set(['t-2', 't-1']),
        };
        await db.students.put({ ...student('rk-1', { class_code: 'rk' }), ...values });
        const project = [...Object.keys(values), 'absent'];
        const expected = { id: 'rk-1', ...values };
        expect(await db.students.find({ id: 'rk-1' }, { project: ['id', ...project] })).toEqual(
          expected,
        );
        expect(
          await db.students.get({ class_code: 'rk' }, { project: ['id', ...project] }),
        ).toEqual([expected]);
        expect(
          await db.students.findMany([{ id: 'rk-1' }], { project: ['id', ...project] }),
        ).toEqual([expected]);
      });

      it('counts along the same access paths', async () => {
        expect(await db.students.count({ class_code: 'rc-1' })).toBe(3);
        expect(await db.students.count({ id: 'r-1' })).toBe(1);
        expect(await db.students.count({ id: 'nope' })).toBe(0);
        await expect(db.students.count({ name: 'Ann' })).rejects.toBeInstanceOf(ScanRequiredError);
        expect(
          await db.students.count({ class_code: undefined, name: 'Cid' }, { scan: true }),
        ).toBe(1);
      });

      it('iterates page by page without losing or repeating an item', async () => {
        const pages = await collect(db.students.pages({ class_code: 'rc-1' }, { pageSize: 2 }));
        expect(pages.length).toBeGreaterThanOrEqual(2);
        expect(ids(pages.flat())).toEqual(['r-1', 'r-2', 'r-4']);
      });

      it('reads page by page from a cursor, and a scan segment by segment, each item once', async () => {
        const query: string[] = [];
        let startKey: PageKey | undefined;
        do {
          const page = await db.students.readPage(
            { class_code: 'rc-1' },
            { pageSize: 2, ...(startKey === undefined ? {} : { startKey }) },
          );
          query.push(...ids(page.items));
          // A cursor is plain JSON: it crosses a workflow between invocations.
          startKey = page.next === undefined ? undefined : JSON.parse(JSON.stringify(page.next));
        } while (startKey !== undefined);
        // An index without a sort key returns its items in no set order.
        expect([...query].sort()).toEqual(['r-1', 'r-2', 'r-4']);

        const scanned: string[] = [];
        for (let index = 0; index < 3; index += 1) {
          let next: PageKey | undefined;
          do {
            const page = await db.students.readPage(
              {},
              {
                scan: true,
                segment: { index, total: 3 },
                pageSize: 2,
                project: ['id'],
                startKey: next,
              },
            );
            scanned.push(...ids(page.items));
            next = page.next;
          } while (next !== undefined);
        }
        const all = ids(await db.students.get({}, { scan: true, project: ['id'] }));
        expect([...scanned].sort()).toEqual([...all].sort());
        expect(new Set(scanned).size).toBe(scanned.length);
      });

      it('batch-fetches more keys than one request holds, skipping missing and repeated keys', async () => {
        const many = Array.from({ length: 130 }, (_, i) =>
          student(`bf-${String(i).padStart(3, '0')}`, { class_code: 'bf' }),
        );
        await db.students.putMany(many);
        const keys = [
          ...many.map((s) => ({ id: s.id })),
          { id: 'bf-000' },
          { id: 'bf-missing-1' },
          { id: 'bf-missing-2' },
        ];
        expect(ids(await db.students.findMany(keys))).toEqual(ids(many));
        expect(await db.students.findMany([])).toEqual([]);
      });
    });

    describe('sort keys', () => {
      beforeAll(async () => {
        await db.answers.putMany([
          answer('sk-1', 'm-1', 'a-2'),
          answer('sk-1', 'm-1', 'a-1'),
          answer('sk-1', 'm-10', 'a-1'),
          answer('sk-1', 'm-2', 'a-1'),
          answer('sk-2', 'm-1', 'a-1'),
        ]);
      });

      it('reads one module of one student as a key-prefix query, in key order', async () => {
        const found = await db.answers.get(
          { student_id: 'sk-1' },
          { sortKey: { beginsWith: 'm-1#' } },
        );
        expect(found.map((a) => a.answer_key)).toEqual(['m-1#a-1', 'm-1#a-2']);
      });

      it('reads a whole partition in key order, a key range, and one item by its composite key', async () => {
        const all = await db.answers.get({ student_id: 'sk-1' });
        expect(all.map((a) => a.answer_key)).toEqual(['m-1#a-1', 'm-1#a-2', 'm-10#a-1', 'm-2#a-1']);
        const one = await db.answers.find({ student_id: 'sk-1', answer_key: 'm-2#a-1' });
        expect(one?.module_id).toBe('m-2');
        const between = await db.answers.get(
          { student_id: 'sk-1' },
          { sortKey: { between: ['m-10#', 'm-2#~'] } },
        );
        expect(between.map((a) => a.answer_key)).toEqual(['m-10#a-1', 'm-2#a-1']);
      });
    });

    describe('writing', () => {
      it('updates only the given attributes: what others wrote survives', async () => {
        await subject.plant('classes', { ...klass('w-1'), note_from_app: 'keep me' });
        await db.classes.update(
          { code: 'w-1' },
          { set: { stats: { students: 3, updated_at: '2026-11-24T00:00:00.000Z' } } },
          { condition: when.exists('code') },
        );
        expect(await db.classes.find({ code: 'w-1' })).toEqual({
          ...klass('w-1'),
          note_from_app: 'keep me',
          stats: { students: 3, updated_at: '2026-11-24T00:00:00.000Z' },
        });
        await db.classes.update({ code: 'w-1' }, { remove: ['stats', 'teacher_id'] });
        const after = await db.classes.find({ code: 'w-1' });
        expect(after).not.toHaveProperty('stats');
        expect(after).not.toHaveProperty('teacher_id');
        expect(after).toHaveProperty('note_from_app', 'keep me');
      });

      it('handles reserved words (name, level) in filters, projections, conditions and updates', async () => {
        await db.classes.put(klass('rw-1', { name: 'Reserved', level: 'A1' }));
        await db.classes.update(
          { code: 'rw-1' },
          { set: { name: 'Renamed', level: 'B2' } },
          { condition: when.all(when.equals('name', 'Reserved'), when.equals('level', 'A1')) },
        );
        const found = await db.classes.get(
          { name: 'Renamed', level: 'B2' },
          { scan: true, project: ['code', 'name', 'level'] },
        );
        expect(found).toEqual([{ code: 'rw-1', name: 'Renamed', level: 'B2' }]);
      });

      it('does not create a record that a condition says must exist', async () => {
        const update = db.classes.update(
          { code: 'w-gone' },
          { set: { stats: { students: 1 } } },
          { condition: when.exists('code') },
        );
        await expect(update).rejects.toBeInstanceOf(ConditionFailedError);
        await expect(update).rejects.toMatchObject({ code: 'CONDITION_FAILED' });
        expect(await db.classes.find({ code: 'w-gone' })).toBeUndefined();
      });

      it('puts conditionally: a second put of an existing key fails when told to', async () => {
        await db.modules.put(module('w-m1'), { condition: when.absent('id') });
        await expect(
          db.modules.put(module('w-m1', { title: 'other' }), { condition: when.absent('id') }),
        ).rejects.toBeInstanceOf(ConditionFailedError);
        expect((await db.modules.find({ id: 'w-m1' }))?.title).toBe('Module w-m1');
      });

      it('compares a missing attribute as DynamoDB does: never =, always <>', async () => {
        await db.classes.put(klass('w-ne', { teacher_id: undefined }));
        await expect(
          db.classes.update(
            { code: 'w-ne' },
            { set: { name: 'x' } },
            { condition: when.equals('teacher_id', 't-9') },
          ),
        ).rejects.toBeInstanceOf(ConditionFailedError);
        await db.classes.update(
          { code: 'w-ne' },
          { set: { name: 'y' } },
          { condition: when.notEquals('teacher_id', 't-9') },
        );
        await db.classes.update(
          { code: 'w-ne' },
          { set: { level: 2 } },
          { condition: when.any(when.absent('teacher_id'), when.equals('teacher_id', 't-9')) },
        );
        expect(await db.classes.find({ code: 'w-ne' })).toMatchObject({ name: 'y', level: 2 });
      });

      it('adds to a number in the store, a missing one counting as 0, capped by atMost', async () => {
        const key = { student_id: 'w-rate', window_start: '2026-03-05T08:15:00.000Z' };
        const count = (answers: number, cap: number) =>
          db.answer_rates.update(
            key,
            { set: { expires_at: 1_772_700_000 }, add: { answers } },
            { condition: when.any(when.absent('answers'), when.atMost('answers', cap - answers)) },
          );
        await count(400, 600);
        await count(200, 600);
        expect(await db.answer_rates.find(key)).toEqual({
          ...key,
          answers: 600,
          expires_at: 1_772_700_000,
        });
        await expect(count(1, 600)).rejects.toBeInstanceOf(ConditionFailedError);
        await db.answer_rates.update(key, { add: { answers: -200 } });
        expect((await db.answer_rates.find(key))?.answers).toBe(400);
        await expect(
          db.answer_rates.update(key, { set: { answers: 1 }, add: { answers: 1 } }),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(
          db.answer_rates.update(key, { add: { answers: Number.NaN } }),
        ).rejects.toBeInstanceOf(InvalidRequestError);
      });

      it('validates writes and writes nothing of an invalid batch', async () => {
        const bad = { ...student('w-bad'), name: 42 } as unknown as Entity<'students'>;
        await expect(db.students.putMany([student('w-ok'), bad])).rejects.toBeInstanceOf(
          InvalidItemError,
        );
        expect(await db.students.find({ id: 'w-ok' })).toBeUndefined();
        await db.classes.put(klass('w-v'));
        await expect(
          db.classes.update({ code: 'w-v' }, { set: { stats: { students: -1 } } }),
        ).rejects.toBeInstanceOf(InvalidItemError);
        await expect(
          db.classes.update(
            { code: 'w-v' },
            { set: { school_code: 'x' }, remove: ['school_code'] },
          ),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(
          db.classes.update({ code: 'w-v' }, { remove: ['name'] }),
        ).rejects.toBeInstanceOf(InvalidItemError);
        expect(await db.classes.find({ code: 'w-v' })).toEqual(klass('w-v'));
      });

      it('puts and deletes many, more than one batch, the last write of a key winning', async () => {
        const items = Array.from({ length: 60 }, (_, i) =>
          student(`pm-${i}`, { class_code: 'pm' }),
        );
        await db.students.putMany([...items, student('pm-0', { class_code: 'pm', name: 'Last' })]);
        expect(await db.students.count({ class_code: 'pm' })).toBe(60);
        expect((await db.students.find({ id: 'pm-0' }))?.name).toBe('Last');
        await db.students.deleteMany(items.slice(0, 55).map((s) => ({ id: s.id })));
        expect(ids(await db.students.get({ class_code: 'pm' }))).toEqual(
          ['pm-55', 'pm-56', 'pm-57', 'pm-58', 'pm-59'].sort(),
        );
      });

      it('deletes one item, conditionally when told to', async () => {
        await db.modules.put(module('w-del', { title: 'keep' }));
        await expect(
          db.modules.delete({ id: 'w-del' }, { condition: when.equals('title', 'other') }),
        ).rejects.toBeInstanceOf(ConditionFailedError);
        await db.modules.delete({ id: 'w-del' }, { condition: when.equals('title', 'keep') });
        expect(await db.modules.find({ id: 'w-del' })).toBeUndefined();
      });

      it('decides a conditional delete of an absent item by whether absence satisfies it', async () => {
        // `exists` fails on an absent item, as DynamoDB's ConditionExpression does...
        await expect(
          db.modules.delete({ id: 'w-gone' }, { condition: when.exists('title') }),
        ).rejects.toBeInstanceOf(ConditionFailedError);
        // ...and `attribute_not_exists` holds on one: nothing to delete, no error.
        await db.modules.delete({ id: 'w-gone' }, { condition: when.absent('title') });
        // Present, the same condition is decided on the item.
        await db.modules.put(module('w-cond', { title: 'kept' }));
        await expect(
          db.modules.delete({ id: 'w-cond' }, { condition: when.absent('title') }),
        ).rejects.toBeInstanceOf(ConditionFailedError);
        expect(await db.modules.find({ id: 'w-cond' })).toBeDefined();
        await db.modules.delete({ id: 'w-cond' }, { condition: when.exists('title') });
        expect(await db.modules.find({ id: 'w-cond' })).toBeUndefined();
      });

      it('rejects a key with an empty attribute', async () => {
        await expect(db.students.find({ id: '' })).rejects.toBeInstanceOf(InvalidRequestError);
      });
    });

    describe('validation of stored items', () => {
      beforeAll(async () => {
        await subject.plant('students', { id: 'v-bad', name: 42, class_code: 'vc' });
        await subject.plant('students', { id: 'v-ok', name: 'Good', class_code: 'vc' });
        await subject.plant('students', {
          id: 'v-set',
          name: 'Set',
          class_code: 'vs',
          parent_ids: new Set(['p-2', 'p-1']),
        });
      });

      it('reports an invalid stored item instead of returning it', async () => {
        const error = await db.students.find({ id: 'v-bad' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidStoredItemError);
        expect(error).toMatchObject({
          code: 'INVALID_STORED_ITEM',
          table: 'students',
          key: { id: 'v-bad' },
          issues: [expect.objectContaining({ path: 'name' })],
        });
        await expect(db.students.get({ class_code: 'vc' })).rejects.toBeInstanceOf(
          InvalidStoredItemError,
        );
      });

      it('skips and reports invalid items when the caller handles them', async () => {
        const reported: InvalidStoredItemError[] = [];
        const found = await db.students.get(
          { class_code: 'vc' },
          { onInvalid: (error) => reported.push(error) },
        );
        expect(ids(found)).toEqual(['v-ok']);
        expect(reported.map((e) => e.key)).toEqual([{ id: 'v-bad' }]);
      });

      it('validates only what a projection read', async () => {
        expect(await db.students.find({ id: 'v-bad' }, { project: ['id', 'class_code'] })).toEqual({
          id: 'v-bad',
          class_code: 'vc',
        });
      });

      it('reads a string set of ids as a list', async () => {
        const found = await db.students.find({ id: 'v-set' });
        expect(found?.parent_ids.slice().sort()).toEqual(['p-1', 'p-2']);
      });
    });
  });
};
