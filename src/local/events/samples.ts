/**
 * A valid sample event for every function, for `lms events` and as a starting point for
 * `lms invoke`. Each sample is checked, before it is printed, by the very parsers the
 * handlers use, so a sample that drifts from what a handler accepts fails loudly (and a
 * test runs every one).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type FunctionName, functions } from '../../catalog/functions.ts';
import { parseHttpEvent } from '../../http/event.ts';
import { jobEventSchema, parseJobEvent } from '../../jobs/events.ts';
import { COGNITO_USERNAME_CLAIM, ROLE_CLAIM, type Role } from '../../services/access/principal.ts';
import { validateAnswers } from '../../services/answers/validate.ts';

/** The demo ids `lms seed` writes (seed 1), so a sample works against the local stack. */
const SAMPLE_PATH_PARAMETERS: Readonly<Record<string, string>> = {
  class_code: 'c-0001',
  module_id: 'm-001',
  id: 's-000001',
};

/** Who a sample request comes from: someone allowed to make it. */
const SAMPLE_CALLER: Partial<Record<FunctionName, { sub: string; role: Role }>> = {
  record_answers: { sub: 'lms-app', role: 'service' },
  module_results: { sub: 't-0001', role: 'teacher' },
  student_progress: { sub: 's-000001', role: 'student' },
  parent_summary: { sub: 'p-000001', role: 'parent' },
  student_review: { sub: 's-000001', role: 'student' },
  class_review: { sub: 't-0001', role: 'teacher' },
};

const sampleAnswersBody = (now: Date) => ({
  answers: [
    {
      answer_id: 'sample-1',
      student_id: 's-000001',
      module_id: 'm-001',
      word: 'apple',
      correct: true,
      answered_at: now.toISOString(),
      duration_ms: 2300,
    },
  ],
});

const httpSample = (name: FunctionName, now: Date): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const trigger = functions[name].trigger;
  if (trigger.kind !== 'http') throw new TypeError(`${name} is not an HTTP function`);
  const { method, path } = trigger.route;
  const parameters = [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? '');
  const pathParameters = Object.fromEntries(
    parameters.map((p) => [
      p,
      p === 'id' && name === 'parent_summary' ? 'p-000001' : (SAMPLE_PATH_PARAMETERS[p] ?? 'x'),
    ]),
  );
  const rawPath = path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, p: string) => pathParameters[p] ?? p);
  const caller = SAMPLE_CALLER[name] ?? { sub: 'admin', role: 'admin' };
  const body = name === 'record_answers' ? JSON.stringify(sampleAnswersBody(now)) : undefined;
  const routeKey = `${method} ${path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      authorization: 'Bearer <the token; the authorizer already checked it>',
      'content-type': 'application/json',
      host: 'api.example.com',
      'user-agent': 'curl/8.5.0',
    },
    ...(parameters.length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          // The LMS id both in `sub` and in the username, so a sample works with
          // LMS_ID_CLAIM unset (`sub`) and as deployed (`cognito:username`).
          claims: {
            sub: caller.sub,
            [COGNITO_USERNAME_CLAIM]: caller.sub,
            [ROLE_CLAIM]: caller.role,
            iss: 'https://cognito-idp.region.amazonaws.com/pool',
            token_use: 'id',
          },
          scopes: [],
        },
      },
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'sample-request-id',
      routeKey,
      stage: '$default',
      time: '24/Nov/2026:08:00:00 +0000',
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
};

/**
 * @example
 * ```ts
 * sampleEvent('module_results'); // an API Gateway HTTP API 2.0 event with a teacher's claims
 * sampleEvent('calc_all_stats'); // {} as the scheduler sends it (add "dry_run": true to try)
 * sampleEvent('pre_token_generation'); // Cognito's event at a teacher's sign-in
 * ```
 */
export const sampleEvent = (name: FunctionName, now: Date = new Date()): unknown => {
  const trigger = functions[name].trigger;
  if (trigger.kind === 'http') {
    const event = httpSample(name, now);
    const request = parseHttpEvent(event);
    if (name === 'record_answers') validateAnswers(JSON.parse(request.body ?? '{}'), now);
    return event;
  }
  if (trigger.kind === 'cognito') return preTokenSample();
  const event = { ...trigger.schedule.input };
  parseJobEvent(jobEventSchema, event);
  return event;
};

/**
 * Cognito's Pre Token Generation event (version 1) at a teacher's sign-in. `lms invoke`
 * of it asks Cognito for the user's MFA (AdminGetUser) and the client's sign-in flows
 * (DescribeUserPoolClient): it needs AWS credentials.
 */
const preTokenSample = () => ({
  version: '1',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'ap-east-1',
  userPoolId: 'ap-east-1_Ab12Cd34E',
  userName: 't-017',
  callerContext: {
    awsSdkVersion: 'aws-sdk-unknown-unknown',
    clientId: '6k2v0q8r1l3h5j7n9p4s2t6u8w',
  },
  request: {
    userAttributes: {
      sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
      'cognito:user_status': 'CONFIRMED',
      email: 't-017@example.com',
      'custom:role': 'teacher',
    },
    groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
  },
  response: { claimsOverrideDetails: null },
});
