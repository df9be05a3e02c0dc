import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '../../src/adapters/dynamodb/item-json.ts';
import { scanRawPages } from '../../src/adapters/dynamodb/raw-scan.ts';
import { physicalName, type TableName, tables } from '../../src/tables/definitions.ts';

const keyText = (table: TableName, item: AttributeMap) => {
  const definition = tables[table];
  const sort = 'sortKey' in definition ? item[definition.sortKey]?.S : '';
  return `${item[definition.partitionKey]?.S}\u0000${sort}`;
};

/**
 * Every item of a DynamoDB table, raw (AttributeValue maps, as an export reads them), in
 * key order, so two tables compare item by item.
 *
 * @example
 * ```ts
 * expect(await rawTable(client, 'copy-', 'students')).toEqual(await rawTable(client, 'dev-', 'students'));
 * ```
 */
export const rawTable = async (
  client: DynamoDBClient,
  prefix: string,
  table: TableName,
): Promise<AttributeMap[]> => {
  const items: AttributeMap[] = [];
  for await (const page of scanRawPages(client, physicalName(prefix, tables[table]))) {
    items.push(...page);
  }
  return items.sort((a, b) => (keyText(table, a) < keyText(table, b) ? -1 : 1));
};

/** A byte string from its bytes. */
export const bytes = (...values: number[]) => new Uint8Array(values);

/**
 * Items only the raw path can carry: sets, huge numbers, binary, unknown attributes, and
 * one no schema accepts. An export must keep each as it is.
 */
export const specialItems: [TableName, AttributeMap][] = [
  [
    'students',
    {
      id: { S: 'x-special' },
      name: { S: 'Ann "the fox" 汉字' },
      class_code: { S: 'c-1' },
      parent_ids: { SS: ['p-0', 'p-1'] },
      big: { N: '12345678901234567890' },
      photo: { B: bytes(0, 1, 2, 255) },
      blobs: { BS: [bytes(1), bytes(2, 3)] },
      scores: { NS: ['1.5', '99999999999999999999999'] },
      meta: {
        M: {
          nested: { M: { list: { L: [{ N: '1' }, { S: 'a' }, { NULL: true }, { BOOL: false }] } } },
        },
      },
      attribute_no_schema_knows: { S: 'kept' },
    },
  ],
  // Fails the student schema (no name, parent_ids a number): an export must keep it.
  ['students', { id: { S: 'x-invalid' }, parent_ids: { N: '5' } }],
  ['jobs', { name: { S: 'job-x' }, watermark: { B: bytes(104, 105) }, runs: { N: '-0.000001' } }],
  [
    'answers',
    {
      student_id: { S: 's-0' },
      answer_key: { S: 'm-odd#a-odd' },
      duration_ms: { N: '123456789012345678901234567890' },
    },
  ],
];
