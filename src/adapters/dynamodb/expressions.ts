/**
 * The one accumulator that owns expression placeholders. Every attribute name becomes a
 * `#nN` placeholder and every value a `:vN` placeholder, so reserved words (`name`,
 * `level`, ...) and odd characters never reach an expression as written.
 */

import type { KeyCondition } from '../../repositories/access-path.ts';
import type { Condition, Scalar } from '../../repositories/condition.ts';

export interface ExpressionAttributes {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * @example
 * ```ts
 * const x = new ExpressionBuilder();
 * const filter = x.equalities({ name: 'Ann', level: 2 }); // '#n0 = :v0 AND #n1 = :v1'
 * x.attributes(); // { ExpressionAttributeNames: { '#n0': 'name', ... }, ... }
 * ```
 */
export class ExpressionBuilder {
  readonly #names = new Map<string, string>();
  readonly #values: Record<string, unknown> = {};
  #valueCount = 0;

  /** The placeholder of an attribute name (one per distinct name). */
  name(attribute: string): string {
    let placeholder = this.#names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.#names.size}`;
      this.#names.set(attribute, placeholder);
    }
    return placeholder;
  }

  /** A fresh placeholder for a value. */
  value(value: unknown): string {
    const placeholder = `:v${this.#valueCount++}`;
    this.#values[placeholder] = value;
    return placeholder;
  }

  projection(attributes: readonly string[]): string {
    return [...new Set(attributes)].map((attribute) => this.name(attribute)).join(', ');
  }

  /** `a = :x AND b = :y`; undefined when there is nothing to compare. */
  equalities(filter: Readonly<Record<string, Scalar>>): string | undefined {
    const parts = Object.entries(filter).map(
      ([attribute, value]) => `${this.name(attribute)} = ${this.value(value)}`,
    );
    return parts.length === 0 ? undefined : parts.join(' AND ');
  }

  keyCondition(attribute: string, condition: KeyCondition): string {
    const n = this.name(attribute);
    if ('equals' in condition) return `${n} = ${this.value(condition.equals)}`;
    if ('beginsWith' in condition) return `begins_with(${n}, ${this.value(condition.beginsWith)})`;
    if ('between' in condition) {
      return `${n} BETWEEN ${this.value(condition.between[0])} AND ${this.value(condition.between[1])}`;
    }
    if ('gte' in condition) return `${n} >= ${this.value(condition.gte)}`;
    return `${n} <= ${this.value(condition.lte)}`;
  }

  condition(condition: Condition): string {
    if ('and' in condition) return this.#join(condition.and, 'AND');
    if ('or' in condition) return this.#join(condition.or, 'OR');
    const n = this.name(condition.attribute);
    if ('exists' in condition) {
      return condition.exists ? `attribute_exists(${n})` : `attribute_not_exists(${n})`;
    }
    if ('equals' in condition) return `${n} = ${this.value(condition.equals)}`;
    if ('atMost' in condition) return `${n} <= ${this.value(condition.atMost)}`;
    return `${n} <> ${this.value(condition.notEquals)}`;
  }

  /** `SET #a = :x, #b = :y REMOVE #c ADD #d :z`; undefined when nothing changes. */
  update(
    set: Readonly<Record<string, unknown>>,
    remove: readonly string[],
    add: Readonly<Record<string, number>> = {},
  ): string | undefined {
    const clauses: string[] = [];
    const sets = Object.entries(set).map(([a, v]) => `${this.name(a)} = ${this.value(v)}`);
    if (sets.length > 0) clauses.push(`SET ${sets.join(', ')}`);
    if (remove.length > 0) clauses.push(`REMOVE ${remove.map((a) => this.name(a)).join(', ')}`);
    const adds = Object.entries(add).map(([a, v]) => `${this.name(a)} ${this.value(v)}`);
    if (adds.length > 0) clauses.push(`ADD ${adds.join(', ')}`);
    return clauses.length === 0 ? undefined : clauses.join(' ');
  }

  /** The placeholders used so far, ready to spread into a request. */
  attributes(): ExpressionAttributes {
    const out: ExpressionAttributes = {};
    if (this.#names.size > 0) {
      out.ExpressionAttributeNames = Object.fromEntries(
        [...this.#names].map(([attribute, placeholder]) => [placeholder, attribute]),
      );
    }
    if (this.#valueCount > 0) out.ExpressionAttributeValues = { ...this.#values };
    return out;
  }

  #join(conditions: readonly Condition[], operator: 'AND' | 'OR'): string {
    if (conditions.length === 0) {
      // An empty AND is vacuously true, an empty OR false; DynamoDB has no literal for
      // either, so an empty group is a caller's mistake worth failing on.
      throw new RangeError(`an empty ${operator} condition cannot be expressed`);
    }
    return conditions.map((c) => `(${this.condition(c)})`).join(` ${operator} `);
  }
}
