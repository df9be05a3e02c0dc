/**
 * Requests to the stack (same origin): the signed-in token on every call, every reply
 * validated, and every failure an {@link ApiError} whose message a person can act on.
 */
import type * as z from 'zod';
import type { Endpoint } from './endpoints.ts';
import { clearSession, readSession } from './session.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const describe = (status: number, code: string, message: string): string => {
  if (status === 401)
    return `401 Unauthorized: the stack did not accept this sign-in (${message}). Sign in again.`;
  if (status === 403) return `403 Forbidden (${code}): ${message}`;
  if (status === 404) return `404 Not found (${code}): ${message}`;
  return `${status} ${code}: ${message}`;
};

const errorOf = (status: number, body: unknown): ApiError => {
  let code = `HTTP_${status}`;
  let message = 'no details';
  if (typeof body === 'object' && body !== null) {
    if ('error' in body && typeof body.error === 'object' && body.error !== null) {
      if ('code' in body.error && typeof body.error.code === 'string') code = body.error.code;
      if ('message' in body.error && typeof body.error.message === 'string')
        message = body.error.message;
    } else if ('message' in body && typeof body.message === 'string') {
      message = body.message;
    }
  }
  return new ApiError(status, code, describe(status, code, message));
};

export interface RequestOptions {
  /**
   * The view's (aborted when the page leaves it): required, so that no request can outlive
   * its view and answer into the next one.
   */
  readonly signal: AbortSignal;
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  /** Send the signed-in token (default true). */
  readonly token?: boolean;
}

export const request = async <S extends z.ZodType>(
  path: Endpoint,
  schema: S,
  options: RequestOptions,
): Promise<z.output<S>> => {
  const { signal } = options;
  const headers: Record<string, string> = {};
  const session = readSession();
  if (options.token !== false && session !== undefined)
    headers.authorization = `Bearer ${session.token}`;
  const method = options.method ?? 'GET';
  // The stack takes a POST as JSON only, a body or not (Run now sends none): no cross-site
  // form can send that type, so its console and /_jobs refuse one (local-only.ts).
  if (method !== 'GET') headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      signal,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (cause) {
    // A view left is no failure of the stack: the abort goes up as itself, and whoever
    // holds the signal knows to show nothing.
    signal.throwIfAborted();
    throw new ApiError(0, 'NETWORK', `The stack did not answer (${String(cause)}). Is it running?`);
  }
  const text = await response.text();
  signal.throwIfAborted();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    // A token the stack no longer knows (restarted in memory) cannot recover by itself.
    if (response.status === 401) clearSession();
    throw errorOf(response.status, body);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      'UNEXPECTED_REPLY',
      `The reply of ${path} is not what the console expects: ${parsed.error.message.slice(0, 500)}`,
    );
  }
  return parsed.data;
};
