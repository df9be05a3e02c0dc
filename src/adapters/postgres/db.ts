import { buildDb, codecFor, type Db } from '../../repositories/db.ts';
import { tables } from '../../tables/definitions.ts';
import type { Pg } from './pg.ts';
import { PostgresRepository } from './repository.ts';
import { schemaFor } from './sql.ts';

/**
 * A {@link Db} over the PostgreSQL tables of a prefix (`schemaFor`: `dev-` is the schema
 * `"dev-"`, no prefix is `public`).
 *
 * @example
 * ```ts
 * const db = createPostgresDb(new Pg(createPool({ connectionString, max: 2 })), 'dev-');
 * await db.students.get({ class_code: 'c-001' }, { project: ['id'] });
 * ```
 */
export const createPostgresDb = (pg: Pg, prefix: string): Db => {
  const schema = schemaFor(prefix);
  return buildDb((name) => new PostgresRepository(pg, schema, tables[name], codecFor(name)));
};
