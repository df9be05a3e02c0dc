import { tablesWithDataKeyedMaps } from '../../entities/index.ts';
import { buildDb, codecFor, type Db } from '../../repositories/db.ts';
import { physicalName, tables } from '../../tables/definitions.ts';
import type { Ddb } from './ddb.ts';
import { DynamoRepository } from './repository.ts';

/**
 * A {@link Db} over DynamoDB tables named `${prefix}${table}`. The tables whose items hold
 * maps keyed by data (`tablesWithDataKeyedMaps`) go through a Ddb that keeps `__proto__`
 * and `constructor` map keys; the others are not walked for them.
 *
 * @example
 * ```ts
 * const db = createDynamoDb(new Ddb(createDocumentClient({ endpoint })), 'dev-');
 * await db.students.get({ class_code: 'c-001' }, { project: ['id', 'class_code'] });
 * ```
 */
export const createDynamoDb = (ddb: Ddb, prefix: string): Db => {
  const keeping = ddb.keepingSpecialKeys();
  return buildDb(
    (name) =>
      new DynamoRepository(
        tablesWithDataKeyedMaps.has(name) ? keeping : ddb,
        tables[name],
        physicalName(prefix, tables[name]),
        codecFor(name),
      ),
  );
};
