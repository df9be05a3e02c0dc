/**
 * `Db`: one repository per table, the object services receive (`db.students.get(...)`).
 * Entity types and key attributes are derived from the table definitions and the entity
 * schemas, so a key can only be what the table declares.
 */
import type * as z from 'zod';
import { type EntitySchemas, entitySchemas } from '../entities/index.ts';
import { type TableName, tables } from '../tables/definitions.ts';
import { type Codec, EntityCodec } from './codec.ts';
import type { Repository } from './repository.ts';

type Definitions = typeof tables;

/** The validated item type of a table (`Entity<'students'>` is a `Student`). */
export type Entity<N extends TableName> = z.output<EntitySchemas[N]>;

/** The primary-key attributes of a table. */
export type KeyAttribute<N extends TableName> = (Definitions[N] extends {
  readonly sortKey: infer S extends string;
}
  ? Definitions[N]['partitionKey'] | S
  : Definitions[N]['partitionKey']) &
  keyof Entity<N> &
  string;

export type EntityKey<N extends TableName> = Pick<Entity<N>, KeyAttribute<N>>;

export type Db = { readonly [N in TableName]: Repository<Entity<N>, KeyAttribute<N>> };

/** The codec (schema + key knowledge) of one table. */
export const codecFor = <N extends TableName>(name: N): Codec<Entity<N>> =>
  new EntityCodec(tables[name], entitySchemas[name]);

/** Builds a {@link Db} from a store's way of making one repository. */
export const buildDb = (
  make: <N extends TableName>(name: N) => Repository<Entity<N>, KeyAttribute<N>>,
): Db => ({
  groups: make('groups'),
  schools: make('schools'),
  teachers: make('teachers'),
  classes: make('classes'),
  students: make('students'),
  parents: make('parents'),
  modules: make('modules'),
  answers: make('answers'),
  student_progress: make('student_progress'),
  parent_summaries: make('parent_summaries'),
  jobs: make('jobs'),
  student_state: make('student_state'),
  student_marks: make('student_marks'),
  answer_batches: make('answer_batches'),
  parent_marks: make('parent_marks'),
  answer_rates: make('answer_rates'),
});
