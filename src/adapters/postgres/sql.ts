/**
 * The two things every statement of the adapter is built from: one placeholder
 * accumulator (values only ever travel as `$n` parameters, never inside the text) and the
 * quoting of identifiers, which come from the table definitions and the configured prefix,
 * never from data.
 */
import { InvalidRequestError } from '../../repositories/errors.ts';
import { toJsonText } from './values.ts';

/** A statement ready for the driver: its text and the values of its `$n` placeholders. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
  /**
   * `array`: each row as the array of its columns in select order (`pg`'s `rowMode`), no
   * object built per row nor a column looked up by name; the repository's reads use it.
   */
  readonly rowMode?: 'array';
}

/**
 * Collects the values of one statement and hands out their placeholders, so that a
 * statement is built in one pass by pure functions (ElectroDB's way with expression
 * attribute values).
 *
 * @example
 * ```ts
 * const params = new Params();
 * const text = `SELECT item FROM t WHERE id = ${params.add('s-1')}`; // ... id = $1
 * const statement = params.statement(text); // { text, values: ['s-1'] }
 * ```
 */
export class Params {
  readonly #values: unknown[] = [];

  /** The placeholder of a new value (`$3`). */
  add(value: unknown): string {
    this.#values.push(value);
    return `$${this.#values.length}`;
  }

  /** A JSON value as a `jsonb` placeholder (sets and bytes as tags: `values.ts`). */
  json(value: unknown): string {
    return `${this.add(toJsonText(value))}::jsonb`;
  }

  /** A list of strings as a `text[]` placeholder. */
  texts(values: readonly string[]): string {
    return `${this.add(values)}::text[]`;
  }

  statement(text: string, rowMode?: 'array'): Statement {
    const values = [...this.#values];
    return rowMode === undefined ? { text, values } : { text, values, rowMode };
  }
}

/**
 * PostgreSQL's limit on an identifier's length (NAMEDATALEN - 1 bytes); a longer one is
 * silently truncated by the server, so two names could become one: refused instead.
 */
export const MAX_IDENTIFIER_BYTES = 63;

/** A quoted identifier (`"dev-"`, `"students"`). */
export const ident = (name: string): string => {
  if (name.length === 0 || Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES || name.includes('\0')) {
    throw new InvalidRequestError(
      `${JSON.stringify(name)} cannot be a PostgreSQL identifier (1 to ${MAX_IDENTIFIER_BYTES} bytes)`,
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
};

/**
 * The schema that holds the tables of a prefix: `LMS_TABLE_PREFIX` names a schema in
 * PostgreSQL (`dev-` gives `"dev-".students`), and no prefix is `public`. A schema per
 * prefix keeps every table and index name short and the same in every stage, and a stage
 * (a test file) is dropped in one statement.
 */
export const schemaFor = (prefix: string): string => (prefix === '' ? 'public' : prefix);

/** `"schema"."table"`. */
export const qualified = (schema: string, table: string): string =>
  `${ident(schema)}.${ident(table)}`;
