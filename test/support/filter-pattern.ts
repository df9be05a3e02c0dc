/**
 * Evaluates a CloudWatch Logs JSON filter pattern on a log line, as CloudWatch would, for
 * the one form the stack's metric filters use: `{ $.path = "value" }` (string equality on
 * a property path). Any other pattern throws, so a test cannot pass on a pattern it does not
 * understand. Hand-written: no npm package evaluates CloudWatch filter syntax.
 */
const EQUALS = /^\{\s*\$\.([A-Za-z0-9_.]+)\s*=\s*"([^"*]*)"\s*\}$/;

/**
 * @example
 * ```ts
 * matchesFilterPattern('{ $.level = "ERROR" }', '{"level":"ERROR","message":"request failed"}'); // true
 * ```
 */
export const matchesFilterPattern = (pattern: string, line: string): boolean => {
  const match = EQUALS.exec(pattern.trim());
  if (match === null) throw new Error(`unsupported filter pattern: ${pattern}`);
  const [, path = '', expected] = match;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return false; // a JSON pattern never matches a line that is not JSON
  }
  let value: unknown = event;
  for (const key of path.split('.')) {
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value === expected;
};
