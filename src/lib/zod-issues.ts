/**
 * zod's issues in our words. Every message that names what zod found wrong (a manifest, an
 * event, a stored item, a request body, the environment) goes through here, so they all
 * read `path: message; path: message`. Type-only import: the HTTP bundles stay free of
 * anything zod would not pull in already.
 */
import type * as z from 'zod';

/** One problem: where (dotted, `''` for the value itself) and what. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** zod's own message for these is `Unrecognized keys: "a", "b"` at the object's path. */
const UNKNOWN_KEY = 'is not a known field';

/**
 * The issues of a failed parse. An unknown key of a strict object becomes one issue per
 * key, at that key's path, so a caller can point at the field.
 *
 * @example
 * ```ts
 * const result = z.strictObject({ n: z.number() }).safeParse({ n: 'x', extra: 1 });
 * zodIssues(result.error!);
 * // [{ path: 'n', message: 'Invalid input: expected number, received string' },
 * //  { path: 'extra', message: 'is not a known field' }]
 * ```
 */
export const zodIssues = (error: z.ZodError): Issue[] =>
  error.issues.flatMap((issue): Issue[] => {
    // `map(String)`: a path may hold symbols, which `join` alone would throw on.
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path === '' ? key : `${path}.${key}`,
        message: UNKNOWN_KEY,
      }));
    }
    return [{ path, message: issue.message }];
  });

/**
 * Issues in one line; `root` names the value itself, where the path is empty.
 *
 * @example
 * ```ts
 * describeIssues([{ path: '', message: 'must be an object' }, { path: 'a.b', message: 'is required' }], '(event)');
 * // '(event): must be an object; a.b: is required'
 * ```
 */
export const describeIssues = (issues: readonly Issue[], root: string): string =>
  issues.map((issue) => `${issue.path || root}: ${issue.message}`).join('; ');
