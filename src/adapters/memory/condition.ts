import type { Condition } from '../../repositories/condition.ts';

/**
 * Evaluates a write condition the way DynamoDB does: an absent item has no attributes; a
 * missing attribute is never `=` to a value and always `<>` it (checked against dynalite
 * and DynamoDB Local by the contract suite).
 */
export const holds = (
  condition: Condition,
  item: Readonly<Record<string, unknown>> | undefined,
): boolean => {
  if ('and' in condition) return condition.and.every((c) => holds(c, item));
  if ('or' in condition) return condition.or.some((c) => holds(c, item));
  const value = item?.[condition.attribute];
  if ('exists' in condition) return (value !== undefined) === condition.exists;
  if ('equals' in condition) return value === condition.equals;
  if ('atMost' in condition) return typeof value === 'number' && value <= condition.atMost;
  return value !== condition.notEquals;
};
