/**
 * Validation of items on their way out of (and into) a store. Both repository
 * implementations use it, so an invalid stored item is reported the same way whatever
 * the store, and nothing unvalidated reaches a service.
 */
import type * as z from 'zod';
import { setOwn } from '../lib/own-keys.ts';
import { zodIssues } from '../lib/zod-issues.ts';
import type { TableDefinition } from '../tables/definitions.ts';
import {
  InvalidItemError,
  InvalidRequestError,
  InvalidStoredItemError,
  type ItemIssue,
} from './errors.ts';

type Item = Record<string, unknown>;

/** The schema of one projection, and the fields it validates. */
interface Picked {
  readonly schema: z.ZodObject;
  /** Projected attributes the entity does not declare: passed as they are. */
  readonly undeclared: readonly string[];
}

/** What a repository needs to validate the items of one table. */
export interface Codec<T> {
  readonly table: TableDefinition;
  keyOf(item: Item): Record<string, unknown>;
  decode(raw: Item): T;
  decodeProjected(raw: Item, project: readonly string[]): Partial<T>;
  encode(item: T): Item;
  encodeChanges(set: object): Item;
  checkRemovals(remove: readonly string[]): void;
}

/**
 * A {@link Codec} from a zod object schema.
 *
 * @example
 * ```ts
 * const codec = new EntityCodec(tables.students, studentSchema);
 * codec.decode({ id: 's-1', name: 'Ann' }); // { id: 's-1', name: 'Ann', parent_ids: [] }
 * ```
 */
export class EntityCodec<S extends z.ZodObject> implements Codec<z.output<S>> {
  readonly #projected = new Map<string, Picked>();
  readonly #byArray = new WeakMap<readonly string[], Picked>();

  constructor(
    readonly table: TableDefinition,
    private readonly schema: S,
  ) {}

  /** The primary key of an item (for error reports and batch bookkeeping). */
  keyOf(item: Item): Record<string, unknown> {
    const key: Record<string, unknown> = {
      [this.table.partitionKey]: item[this.table.partitionKey],
    };
    if (this.table.sortKey !== undefined) key[this.table.sortKey] = item[this.table.sortKey];
    return key;
  }

  /** A stored item, validated; throws {@link InvalidStoredItemError}. */
  decode(raw: Item): z.output<S> {
    const result = this.schema.safeParse(raw);
    if (!result.success) {
      throw new InvalidStoredItemError(this.table.name, this.keyOf(raw), zodIssues(result.error));
    }
    return result.data;
  }

  /**
   * A stored item read with a projection: the projected attributes only (whatever else a
   * store returns, such as the keys DynamoDB's BatchGetItem adds, is left out, as
   * PostgreSQL's reads never send it), those the entity declares validated, the others as
   * they are.
   */
  decodeProjected(raw: Item, project: readonly string[]): Partial<z.output<S>> {
    const picked = this.#pick(project);
    const result = picked.schema.safeParse(raw);
    if (!result.success) {
      throw new InvalidStoredItemError(this.table.name, this.keyOf(raw), zodIssues(result.error));
    }
    const item: Item = result.data;
    for (const attribute of picked.undeclared) {
      if (Object.hasOwn(raw, attribute)) setOwn(item, attribute, raw[attribute]);
    }
    // The data has just been validated against the picked fields of `schema`; zod cannot
    // type `pick` over a generic shape, hence this one assertion.
    return item as Partial<z.output<S>>;
  }

  /** An item about to be written, validated; returns what is stored. */
  encode(item: z.output<S>): Item {
    const result = this.schema.safeParse(item);
    if (!result.success) throw new InvalidItemError(this.table.name, zodIssues(result.error));
    // zod's output is a new object already (its own copy of the input's fields).
    return result.data;
  }

  /** The attributes of a partial update, each validated against its field. */
  encodeChanges(set: object): Item {
    const out: Item = {};
    const issues: ItemIssue[] = [];
    const keys = new Set([this.table.partitionKey, this.table.sortKey]);
    for (const [attribute, value] of Object.entries(set)) {
      if (value === undefined) continue;
      if (keys.has(attribute)) {
        throw new InvalidRequestError(
          `${this.table.name}: key attribute ${attribute} cannot be updated`,
        );
      }
      const field = this.#field(attribute);
      if (field === undefined) {
        out[attribute] = value;
        continue;
      }
      const result = field.safeParse(value);
      if (result.success) out[attribute] = result.data;
      else
        issues.push(
          ...zodIssues(result.error).map((i) => ({
            ...i,
            path: [attribute, i.path].filter(Boolean).join('.'),
          })),
        );
    }
    if (issues.length > 0) throw new InvalidItemError(this.table.name, issues);
    return out;
  }

  /** Checks that removed attributes are neither keys nor required by the schema. */
  checkRemovals(remove: readonly string[]): void {
    for (const attribute of remove) {
      if (attribute === this.table.partitionKey || attribute === this.table.sortKey) {
        throw new InvalidRequestError(
          `${this.table.name}: key attribute ${attribute} cannot be removed`,
        );
      }
      const field = this.#field(attribute);
      if (field !== undefined && !field.safeParse(undefined).success) {
        throw new InvalidItemError(this.table.name, [
          { path: attribute, message: 'is required and cannot be removed' },
        ]);
      }
    }
  }

  /**
   * The schema of one attribute, if the entity declares it. An own-property lookup: the
   * shape is a plain object, so `shape.constructor` or `shape.toString` would otherwise
   * find `Object.prototype` members and treat an ordinary attribute as a field.
   */
  #field(attribute: string): z.ZodType | undefined {
    const shape: Record<string, z.ZodType> = this.schema.shape;
    return Object.hasOwn(shape, attribute) ? shape[attribute] : undefined;
  }

  /**
   * The schema of a projection: the projected fields the entity declares, in a stripping
   * object (a loose one runs its catchall's parse on every other attribute: measured, a
   * third of a projected read's validation); the projected attributes it does not declare
   * are copied by {@link decodeProjected}.
   */
  #pick(project: readonly string[]): Picked {
    // Every row of a read comes with the same array: found by identity without building
    // the key (which took a quarter of the validation of a large read).
    const same = this.#byArray.get(project);
    if (same !== undefined) return same;
    const cacheKey = project.join('\u0000');
    const cached = this.#projected.get(cacheKey);
    if (cached !== undefined) {
      this.#byArray.set(project, cached);
      return cached;
    }
    const mask: Record<string, true> = {};
    const undeclared: string[] = [];
    for (const attribute of project) {
      if (this.#field(attribute) !== undefined) mask[attribute] = true;
      else undeclared.push(attribute);
    }
    const picked: Picked = { schema: this.schema.pick(mask).strip(), undeclared };
    this.#projected.set(cacheKey, picked);
    this.#byArray.set(project, picked);
    return picked;
  }
}
