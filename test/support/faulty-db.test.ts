/**
 * How the faulty Db names PostgreSQL's statements after DynamoDB's requests, checked on the
 * adapter's own statement builders (pure: no engine).
 */
import { describe, expect, it } from 'vitest';
import {
  countStatement,
  deleteManyStatement,
  deleteStatement,
  getManyStatement,
  getStatement,
  pageStatement,
  putManyStatement,
  putStatement,
  target,
  updateStatement,
} from '../../src/adapters/postgres/statements.ts';
import { tables } from '../../src/tables/definitions.ts';
import { operationOf, queriedIndexOf } from './faulty-db.ts';

const marks = target('t-x-', tables.student_marks);
const students = target('t-x-', tables.students);
const answers = target('t-x-', tables.answers);
const rates = target('t-x-', tables.answer_rates);

describe('operationOf: the DynamoDB request a statement stands for', () => {
  it('names reads', () => {
    expect(operationOf(getStatement(marks, { student_id: 's-1' }).text)).toBe('GetItem');
    expect(operationOf(getManyStatement(marks, [{ student_id: 's-1' }]).text)).toBe('BatchGetItem');
    const byClass = {
      kind: 'query',
      index: tables.students.indexes[0],
      partition: { attribute: 'class_code', value: 'c-1' },
      sort: undefined,
      filter: {},
    } as const;
    expect(
      operationOf(pageStatement(students, byClass, { project: undefined, limit: 5 }).text),
    ).toBe('Query');
    expect(operationOf(countStatement(students, byClass).text)).toBe('Query');
    const scan = { kind: 'scan', filter: {} } as const;
    expect(operationOf(pageStatement(marks, scan, { project: undefined, limit: 5 }).text)).toBe(
      'Scan',
    );
  });

  it('names writes, conditional ones and answer_rates with its TTL purge included', () => {
    const item = { student_id: 's-1', token: 'a', marked_at: 'x' };
    const condition = { attribute: 'token', equals: 'a' } as const;
    expect(operationOf(putStatement(marks, item, undefined, true).text)).toBe('PutItem');
    expect(operationOf(putStatement(marks, item, condition, false).text)).toBe('PutItem');
    expect(operationOf(putManyStatement(marks, [item]).text)).toBe('BatchWriteItem');
    const changes = { key: { student_id: 's-1' }, set: { token: 'b' }, remove: [], add: {} };
    expect(operationOf(updateStatement(marks, changes, undefined, true).text)).toBe('UpdateItem');
    expect(operationOf(updateStatement(marks, changes, condition, false).text)).toBe('UpdateItem');
    const rate = {
      key: { student_id: 's-1', window_start: '1' },
      set: {},
      remove: [],
      add: { n: 1 },
    };
    expect(operationOf(updateStatement(rates, rate, undefined, true).text)).toBe('UpdateItem');
    for (const absentSatisfies of [false, true]) {
      expect(
        operationOf(deleteStatement(marks, { student_id: 's-1' }, undefined, absentSatisfies).text),
      ).toBe('DeleteItem');
      expect(
        operationOf(deleteStatement(marks, { student_id: 's-1' }, condition, absentSatisfies).text),
      ).toBe('DeleteItem');
    }
    expect(operationOf(deleteManyStatement(marks, [{ student_id: 's-1' }]).text)).toBe(
      'BatchWriteItem',
    );
  });
});

describe('queriedIndexOf', () => {
  it('reads a global index from the partition column, a local one from the sort column', () => {
    const byClass = {
      kind: 'query',
      index: tables.students.indexes[0],
      partition: { attribute: 'class_code', value: 'c-1' },
      sort: undefined,
      filter: {},
    } as const;
    const sql = pageStatement(students, byClass, { project: undefined, limit: 5 }).text;
    expect(queriedIndexOf(sql, tables.students)).toBe('class_code');
    const recorded = tables.answers.localIndexes?.[0];
    const byRecorded = {
      kind: 'query',
      index: { ...recorded, partitionKey: 'student_id' },
      partition: { attribute: 'student_id', value: 's-1' },
      sort: { attribute: 'recorded_key', condition: { gte: 'a' } },
      filter: {},
    } as const;
    const local = pageStatement(answers, byRecorded as never, { project: undefined, limit: 5 });
    expect(queriedIndexOf(local.text, tables.answers)).toBe('recorded_key');
    const own = {
      kind: 'query',
      index: undefined,
      sort: undefined,
      partition: { attribute: 'student_id', value: 's-1' },
      filter: {},
    } as const;
    const base = pageStatement(answers, own, { project: undefined, limit: 5 }).text;
    expect(queriedIndexOf(base, tables.answers)).toBeUndefined();
  });
});
