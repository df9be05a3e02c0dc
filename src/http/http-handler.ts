/**
 * The frame every HTTP function shares: validate the event, establish who is calling,
 * run the route, and turn whatever it throws into the one error reply format, then flush
 * the invocation's metrics. Routes stay a few lines each: parse, call a service, shape the
 * reply.
 *
 * Not `@aws-lambda-powertools/event-handler`'s Router: each function serves exactly one
 * route that API Gateway has already matched (its `pathParameters` are in the event), and
 * the Router matches again on `rawPath`, which carries the stage name on any stage other
 * than `$default`. The error contract of DESIGN section 5 is ours either way.
 */
import { createLogger } from '../observability/logger.ts';
import type { HandlerFactory, Runtime } from '../runtime/runtime.ts';
import { type Principal, principalFromClaims } from '../services/access/principal.ts';
import { errorReply } from './error-reply.ts';
import { type HttpRequest, parseHttpEvent } from './event.ts';
import { type HttpReply, jsonReply } from './reply.ts';

/** A successful outcome of a route: its status (200 unless said) and JSON body. */
export interface RouteResult {
  readonly status?: number;
  readonly body: unknown;
}

/** One route: what it does with an authenticated request. */
export type Route = (
  request: HttpRequest,
  principal: Principal,
  runtime: Runtime,
) => Promise<RouteResult>;

/**
 * An HTTP function's `createHandler` from its route.
 *
 * @example
 * ```ts
 * // src/functions/student_progress/handler.ts
 * export const createHandler = createHttpHandler(
 *   'student_progress',
 *   async (request, principal, { db, logger }) => ({
 *     body: await getStudentProgress(db, principal, pathParameter(request, 'id'), logger),
 *   }),
 * );
 * ```
 */
export const createHttpHandler =
  (name: string, route: Route): HandlerFactory<HttpReply> =>
  (provide) =>
  async (event, context) => {
    let runtime: Runtime;
    try {
      runtime = provide();
    } catch (error) {
      // No runtime, no configured logger: a bad configuration still gets a JSON 500.
      return errorReply(error, createLogger(name, 'error'));
    }
    const { logger, metrics } = runtime;
    logger.resetKeys();
    if (context !== undefined) logger.addContext(context);
    try {
      const request = parseHttpEvent(event);
      logger.setCorrelationId(request.requestId);
      logger.appendKeys({ route: request.routeKey });
      const principal = principalFromClaims(request.claims, runtime.config.idClaim);
      logger.appendKeys({ principal: { sub: principal.sub, role: principal.role } });
      const result = await route(request, principal, runtime);
      return jsonReply(result.status ?? 200, result.body);
    } catch (error) {
      // Logged here at ERROR when it is ours (a 500): the log group's metric filter on
      // `level` is what alarms, since a 500 reply leaves Lambda's `Errors` at 0.
      return errorReply(error, logger);
    } finally {
      metrics.flush();
    }
  };
