/**
 * The HTTP routes of the catalogue, matched the way API Gateway matches them: method and
 * path, `{name}` capturing one path segment.
 */
import { type FunctionName, functionNames, functions } from '../../../catalog/functions.ts';
import { LmsError } from '../../../errors.ts';

/** A request path with a %-escape that is not UTF-8 (`/students/%E0/progress`): a 400. */
export class MalformedPathError extends LmsError {
  readonly code = 'INVALID_PATH';
}

/** One path segment, decoded; a malformed %-escape is a {@link MalformedPathError}. */
export const decodePathSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch (cause) {
    throw new MalformedPathError(
      `the path has a malformed %-escape: ${JSON.stringify(segment.slice(0, 100))}`,
      { cause },
    );
  }
};

/** The URL of a request's target; one that does not parse is a {@link MalformedPathError}. */
export const requestUrl = (target: string): URL => {
  try {
    return new URL(target, 'http://localhost');
  } catch (cause) {
    throw new MalformedPathError(`the request target does not parse: ${target.slice(0, 100)}`, {
      cause,
    });
  }
};

export interface LocalRoute {
  readonly functionName: FunctionName;
  readonly method: string;
  readonly path: string;
  /** `GET /students/{id}/progress`, as the event's `routeKey` carries it. */
  readonly routeKey: string;
  readonly timeoutSeconds: number;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compile = (path: string) => {
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (parameter?.[1] === undefined) return escapeRegExp(segment);
      parameterNames.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), parameterNames };
};

/** Every HTTP route of the catalogue. */
export const localRoutes = (): LocalRoute[] =>
  functionNames.flatMap((name) => {
    const definition = functions[name];
    if (definition.trigger.kind !== 'http') return [];
    const { method, path } = definition.trigger.route;
    return [
      {
        functionName: name,
        method,
        path,
        routeKey: `${method} ${path}`,
        timeoutSeconds: definition.timeoutSeconds,
        ...compile(path),
      },
    ];
  });

export type RouteMatch =
  | {
      readonly kind: 'match';
      readonly route: LocalRoute;
      readonly pathParameters: Record<string, string>;
    }
  | { readonly kind: 'not-found' };

/**
 * @example
 * ```ts
 * matchRoute(localRoutes(), 'GET', '/students/s-1/progress');
 * // { kind: 'match', route: { functionName: 'student_progress', ... }, pathParameters: { id: 's-1' } }
 * ```
 */
export const matchRoute = (
  routes: readonly LocalRoute[],
  method: string,
  path: string,
): RouteMatch => {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (found === null) continue;
    const pathParameters: Record<string, string> = {};
    route.parameterNames.forEach((name, i) => {
      // API Gateway passes path parameters URL-decoded.
      pathParameters[name] = decodePathSegment(found[i + 1] ?? '');
    });
    return { kind: 'match', route, pathParameters };
  }
  return { kind: 'not-found' };
};
