import { buildDb, codecFor, type Db } from '../../repositories/db.ts';
import { physicalName, tables } from '../../tables/definitions.ts';
import type { Ddb } from './ddb.ts';
import { DynamoRepository } from './repository.ts';

/**
 * A {@link Db} over DynamoDB tables named `${prefix}${table}`.
 *
 * @example
 * ```ts
 * const db = createDynamoDb(new Ddb(createDocumentClient({ endpoint })), 'dev-');
 * await db.students.get({ class_code: 'c-001' }, { project: ['id', 'class_code'] });
 * ```
 */
export const createDynamoDb = (ddb: Ddb, prefix: string): Db =>
  buildDb(
    (name) =>
      new DynamoRepository(ddb, tables[name], physicalName(prefix, tables[name]), codecFor(name)),
  );
