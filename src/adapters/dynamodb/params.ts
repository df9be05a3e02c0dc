/**
 * Pure builders of DynamoDB request parameters (ElectroDB's way): every request this
 * project sends is built here from plain inputs, so its exact shape is unit-tested
 * without a database, and every expression goes through one {@link ExpressionBuilder}.
 */
import type {
  BatchGetCommandInput,
  BatchWriteCommandInput,
  DeleteCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  ScanCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { chunk } from '../../lib/chunk.ts';
import type { AccessPath } from '../../repositories/access-path.ts';
import type { Condition, Scalar } from '../../repositories/condition.ts';
import { InvalidRequestError } from '../../repositories/errors.ts';
import { ExpressionBuilder } from './expressions.ts';

/** DynamoDB's own limits on one BatchGetItem and one BatchWriteItem request. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

type Item = Record<string, unknown>;
type QueryPath = Extract<AccessPath, { kind: 'query' }>;

export interface ReadParamsOptions {
  readonly project?: readonly string[] | undefined;
  readonly consistent?: boolean | undefined;
  readonly pageSize?: number | undefined;
  /** Count instead of returning items. */
  readonly countOnly?: boolean | undefined;
}

const readOptions = (x: ExpressionBuilder, options: ReadParamsOptions) => ({
  ...(options.countOnly === true
    ? { Select: 'COUNT' as const }
    : options.project !== undefined && options.project.length > 0
      ? { ProjectionExpression: x.projection(options.project) }
      : {}),
  ...(options.consistent === true ? { ConsistentRead: true } : {}),
  ...(options.pageSize !== undefined ? { Limit: options.pageSize } : {}),
});

/**
 * @example
 * ```ts
 * getParams('dev-students', { id: 's-1' }, { project: ['id', 'name'] });
 * // { TableName: 'dev-students', Key: { id: 's-1' }, ProjectionExpression: '#n0, #n1',
 * //   ExpressionAttributeNames: { '#n0': 'id', '#n1': 'name' } }
 * ```
 */
export const getParams = (
  tableName: string,
  key: Readonly<Record<string, Scalar>>,
  options: Pick<ReadParamsOptions, 'project' | 'consistent'> = {},
): GetCommandInput => {
  const x = new ExpressionBuilder();
  const read = readOptions(x, options);
  return { TableName: tableName, Key: { ...key }, ...read, ...x.attributes() };
};

export const queryParams = (
  tableName: string,
  path: QueryPath,
  options: ReadParamsOptions = {},
): QueryCommandInput => {
  const x = new ExpressionBuilder();
  const keyParts = [
    x.keyCondition(path.partition.attribute, { equals: String(path.partition.value) }),
  ];
  if (path.sort !== undefined)
    keyParts.push(x.keyCondition(path.sort.attribute, path.sort.condition));
  const filter = x.equalities(path.filter);
  const read = readOptions(x, options);
  return {
    TableName: tableName,
    ...(path.index !== undefined ? { IndexName: path.index.name } : {}),
    KeyConditionExpression: keyParts.join(' AND '),
    ...(filter !== undefined ? { FilterExpression: filter } : {}),
    ...read,
    ...x.attributes(),
  };
};

export const scanParams = (
  tableName: string,
  filter: Readonly<Record<string, Scalar>>,
  options: ReadParamsOptions & { readonly segment?: number; readonly totalSegments?: number } = {},
): ScanCommandInput => {
  const x = new ExpressionBuilder();
  const filterExpression = x.equalities(filter);
  const read = readOptions(x, options);
  return {
    TableName: tableName,
    ...(filterExpression !== undefined ? { FilterExpression: filterExpression } : {}),
    ...(options.totalSegments !== undefined && options.totalSegments > 1
      ? { Segment: options.segment ?? 0, TotalSegments: options.totalSegments }
      : {}),
    ...read,
    ...x.attributes(),
  };
};

export const putParams = (
  tableName: string,
  item: Item,
  condition?: Condition,
): PutCommandInput => {
  const x = new ExpressionBuilder();
  const conditionExpression = condition === undefined ? undefined : x.condition(condition);
  return {
    TableName: tableName,
    Item: item,
    ...(conditionExpression !== undefined ? { ConditionExpression: conditionExpression } : {}),
    ...x.attributes(),
  };
};

/**
 * An update that touches only the given attributes: `SET` for `set`, `REMOVE` for
 * `remove`, `ADD` for `add` (a number added to the stored one, a missing one counting as
 * 0: one request, no read, for a counter), nothing else, so attributes written meanwhile
 * by someone else survive.
 *
 * @example
 * ```ts
 * updateParams('classes', { code: 'c-1' }, { stats: { students: 3 } }, [], { attribute: 'code', exists: true });
 * // UpdateExpression: 'SET #n0 = :v0', ConditionExpression: 'attribute_exists(#n1)'
 * ```
 */
export const updateParams = (
  tableName: string,
  key: Readonly<Record<string, Scalar>>,
  set: Readonly<Item>,
  remove: readonly string[],
  condition?: Condition,
  add: Readonly<Record<string, number>> = {},
): UpdateCommandInput => {
  const x = new ExpressionBuilder();
  const update = x.update(set, remove, add);
  if (update === undefined)
    throw new InvalidRequestError(`${tableName}: an update must set or remove something`);
  const conditionExpression = condition === undefined ? undefined : x.condition(condition);
  return {
    TableName: tableName,
    Key: { ...key },
    UpdateExpression: update,
    ...(conditionExpression !== undefined ? { ConditionExpression: conditionExpression } : {}),
    ...x.attributes(),
  };
};

export const deleteParams = (
  tableName: string,
  key: Readonly<Record<string, Scalar>>,
  condition?: Condition,
): DeleteCommandInput => {
  const x = new ExpressionBuilder();
  const conditionExpression = condition === undefined ? undefined : x.condition(condition);
  return {
    TableName: tableName,
    Key: { ...key },
    ...(conditionExpression !== undefined ? { ConditionExpression: conditionExpression } : {}),
    ...x.attributes(),
  };
};

export { chunk };

/** A stable identity of a key, for de-duplication (`{a:1,b:2}` and `{b:2,a:1}` are one key). */
export const keyIdentity = (
  key: Readonly<Record<string, unknown>>,
  keyAttributes: readonly string[],
) => JSON.stringify(keyAttributes.map((attribute) => key[attribute]));

/**
 * BatchGetItem requests of at most 100 keys each. Duplicate keys are dropped: DynamoDB
 * rejects a batch that names one key twice.
 */
export const batchGetParams = (
  tableName: string,
  keys: readonly Readonly<Record<string, Scalar>>[],
  keyAttributes: readonly string[],
  options: Pick<ReadParamsOptions, 'project' | 'consistent'> = {},
): BatchGetCommandInput[] => {
  const unique = new Map(keys.map((key) => [keyIdentity(key, keyAttributes), key]));
  return chunk([...unique.values()], BATCH_GET_LIMIT).map((batch) => {
    const x = new ExpressionBuilder();
    // The key attributes are always projected: results are matched back to keys by them.
    const project =
      options.project !== undefined && options.project.length > 0
        ? { ProjectionExpression: x.projection([...keyAttributes, ...options.project]) }
        : {};
    const names = x.attributes().ExpressionAttributeNames;
    return {
      RequestItems: {
        [tableName]: {
          Keys: batch.map((key) => ({ ...key })),
          ...project,
          ...(names !== undefined ? { ExpressionAttributeNames: names } : {}),
          ...(options.consistent === true ? { ConsistentRead: true } : {}),
        },
      },
    };
  });
};

export type WriteRequest =
  | { readonly put: Item }
  | { readonly delete: Readonly<Record<string, Scalar>> };

/**
 * BatchWriteItem requests of at most 25 writes each. When one key is written twice, the
 * last write wins (as it would one request after another): DynamoDB rejects a batch that
 * names one key twice.
 */
export const batchWriteParams = (
  tableName: string,
  requests: readonly WriteRequest[],
  keyAttributes: readonly string[],
): BatchWriteCommandInput[] => {
  const last = new Map<string, WriteRequest>();
  for (const request of requests) {
    const key = 'put' in request ? request.put : request.delete;
    const identity = keyIdentity(key, keyAttributes);
    last.delete(identity);
    last.set(identity, request);
  }
  return chunk([...last.values()], BATCH_WRITE_LIMIT).map((batch) => ({
    RequestItems: {
      [tableName]: batch.map((request) =>
        'put' in request
          ? { PutRequest: { Item: request.put } }
          : { DeleteRequest: { Key: { ...request.delete } } },
      ),
    },
  }));
};
