/**
 * The OpenAPI 3.1 document of the HTTP API (DESIGN sections 3-5, docs/http-api.md): the
 * routes of the catalogue, their parameters and bodies, every reply, and the JWT
 * bearer scheme of API Gateway's authorizer.
 *
 * Built, not written: paths and methods come from the catalogue, every schema from the
 * zod schemas the handlers and services use (`z.toJSONSchema`, JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1), statuses from `HTTP_STATUS_BY_CODE`. Served by the local stack
 * at `GET /openapi.json` and printed by `lms openapi`; never imported by a function.
 */
import * as z from 'zod';
import { type FunctionName, functions } from '../catalog/functions.ts';
import { id } from '../entities/common.ts';
import { parentSummarySchema } from '../entities/parent-summary.ts';
import { studentProgressSchema } from '../entities/student-progress.ts';
import { type ClientErrorCode, HTTP_STATUS_BY_CODE } from '../http/error-reply.ts';
import {
  EARLIEST_QUERY_DATE,
  isoDateSchema,
  LATEST_QUERY_DATE,
  MAX_MODULE_ID_BYTES,
  MAX_PATH_ID_BYTES,
} from '../http/params.ts';
import { CONTROL_CHARACTER } from '../lib/text.ts';
import { ROLE_CLAIM, ROLE_NAMES } from '../services/access/principal.ts';
import { recordAnswersResultSchema } from '../services/answers/schemas.ts';
import { answersBodySchema } from '../services/answers/validate.ts';
import { moduleResultsReplySchema } from '../services/results/schemas.ts';
import { classReviewReplySchema, studentReviewReplySchema } from '../services/review/schemas.ts';
import { errorBodySchema, gatewayErrorBodySchema, internalErrorBodySchema } from './error-body.ts';

/** A JSON value of the document. */
export type OpenApiDocument = Readonly<Record<string, unknown>>;

/** The name of the security scheme every operation requires. */
export const SECURITY_SCHEME = 'lmsJwt';

/** The reusable schemas, by component name: requests as accepted, replies as written. */
const COMPONENTS = {
  AnswersRequest: { schema: answersBodySchema, io: 'input' },
  RecordAnswersReply: { schema: recordAnswersResultSchema, io: 'output' },
  ModuleResults: { schema: moduleResultsReplySchema, io: 'output' },
  // The stored items, as the routes return them: only DESIGN's fields (the progress route
  // strips the aggregate's bookkeeping `fold_version`).
  StudentProgress: { schema: z.object(studentProgressSchema.shape), io: 'output' },
  ParentSummary: { schema: z.object(parentSummarySchema.shape), io: 'output' },
  StudentReview: { schema: studentReviewReplySchema, io: 'output' },
  ClassReview: { schema: classReviewReplySchema, io: 'output' },
} as const satisfies Record<string, { schema: z.ZodType; io: 'input' | 'output' }>;
type ComponentName = keyof typeof COMPONENTS;

interface RouteDocument {
  readonly summary: string;
  readonly description: string;
  readonly body?: ComponentName;
  readonly reply: ComponentName;
  readonly query?: Readonly<Record<string, { description: string; schema: z.ZodType }>>;
  /** Every client error the route can answer with; statuses from `HTTP_STATUS_BY_CODE`. */
  readonly errors: readonly ClientErrorCode[];
}

/**
 * A path id as `params.ts` checks it. JSON Schema counts characters, not bytes: the byte
 * limit itself is in the description, `maxLength` is the bound it implies (a character is
 * at least one byte).
 */
const pathId = (maxBytes: number) =>
  id.max(maxBytes).regex(new RegExp(`^[^${CONTROL_CHARACTER.source}]*$`, 'u'));

/** The path parameters of the routes, by name. */
const PATH_PARAMETERS: Readonly<Record<string, { description: string; schema: z.ZodType }>> = {
  class_code: {
    description: `The class code: at most ${MAX_PATH_ID_BYTES} bytes in UTF-8, no control characters.`,
    schema: pathId(MAX_PATH_ID_BYTES),
  },
  module_id: {
    description: `The module id: at most ${MAX_MODULE_ID_BYTES} bytes in UTF-8 (\`<module_id>#\` is a sort-key prefix), no \`#\`, no control characters.`,
    schema: pathId(MAX_MODULE_ID_BYTES).regex(/^[^#]*$/),
  },
  id: {
    description: `The student or parent id: at most ${MAX_PATH_ID_BYTES} bytes in UTF-8, no control characters.`,
    schema: pathId(MAX_PATH_ID_BYTES),
  },
};

/** `INVALID_EVENT`: only a function wired to the wrong route, but mapped to 400 all the same. */
const COMMON_ERRORS = ['INVALID_EVENT', 'UNAUTHENTICATED', 'FORBIDDEN'] as const;

const ROUTES: Readonly<Partial<Record<FunctionName, RouteDocument>>> = {
  record_answers: {
    summary: 'Record a batch of answers',
    description:
      'At most 500 answers and 1 MiB. Re-sent answers count as duplicates; any invalid or ' +
      'conflicting answer refuses the whole batch, naming every bad item in `details`, and ' +
      'stores nothing. Roles: student (its own answers), service, admin. At most ' +
      '`LMS_ANSWERS_PER_STUDENT_PER_MINUTE` answers (600 by default, never fewer than one ' +
      'full batch) per student per minute: beyond, 429 `RATE_LIMITED` with `Retry-After`.',
    body: 'AnswersRequest',
    reply: 'RecordAnswersReply',
    errors: [
      ...COMMON_ERRORS,
      'INVALID_JSON',
      'UNSUPPORTED_MEDIA_TYPE',
      'VALIDATION_FAILED',
      'TOO_MANY_ANSWERS',
      'ANSWER_CONFLICT',
      'PAYLOAD_TOO_LARGE',
      'RATE_LIMITED',
    ],
  },
  module_results: {
    summary: "A module's results in a class",
    description:
      'Accuracy over the words and students of a module in a class, answers counted within ' +
      '`from`/`to` (calendar dates in `LMS_TIMEZONE`, inclusive). Roles: the teacher of ' +
      'the class, admin.',
    reply: 'ModuleResults',
    query: {
      from: {
        description: `First day counted, inclusive; from ${EARLIEST_QUERY_DATE} to ${LATEST_QUERY_DATE}.`,
        schema: isoDateSchema,
      },
      to: {
        description: `Last day counted, inclusive; not before \`from\`; from ${EARLIEST_QUERY_DATE} to ${LATEST_QUERY_DATE}.`,
        schema: isoDateSchema,
      },
    },
    errors: [
      ...COMMON_ERRORS,
      'INVALID_PARAMETER',
      'CLASS_NOT_FOUND',
      'MODULE_NOT_FOUND',
      'MODULE_UNREADABLE',
    ],
  },
  student_progress: {
    summary: "A student's progress",
    description:
      'The progress the aggregate job stored; 404 until it has run for the student. Roles: ' +
      'the student, its parents, the teacher of its class, admin.',
    reply: 'StudentProgress',
    errors: [...COMMON_ERRORS, 'INVALID_PARAMETER', 'PROGRESS_NOT_FOUND', 'PROGRESS_UNREADABLE'],
  },
  student_review: {
    summary: 'The words a student should practise today',
    description:
      'The words due today (lowest recall first) and in the next 7 days (by due date), from ' +
      'the memory cards (FSRS) the aggregate job folds; `recall` is computed at ' +
      '`generated_at`; empty lists for a student without answers. 404 until the job has ' +
      'reached the student. Roles: the student, its ' +
      'parents, the teacher of its class, admin.',
    reply: 'StudentReview',
    query: {
      all: {
        description:
          '`true`: also every card due after the coming week, in `later` (by due date); ' +
          '`false` (the default): `due` and `upcoming` only.',
        schema: z.enum(['true', 'false']),
      },
    },
    errors: [...COMMON_ERRORS, 'INVALID_PARAMETER', 'REVIEW_NOT_FOUND'],
  },
  class_review: {
    summary: 'The words a class should practise today',
    description:
      "The class's words by how many of its students have them due, and each student's " +
      'count, from the progress the last aggregate run stored. Roles: the teacher of the ' +
      'class, admin.',
    reply: 'ClassReview',
    errors: [...COMMON_ERRORS, 'INVALID_PARAMETER', 'CLASS_NOT_FOUND'],
  },
  parent_summary: {
    summary: "A parent's summary of its children",
    description:
      'The summary the aggregate job stored; 404 until it has run for the parent. Roles: ' +
      'the parent, admin.',
    reply: 'ParentSummary',
    errors: [...COMMON_ERRORS, 'INVALID_PARAMETER', 'SUMMARY_NOT_FOUND', 'SUMMARY_UNREADABLE'],
  },
};

/** Statuses API Gateway may answer itself, with `{ "message" }`, before any function runs. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([401, 413, 429, 500]);

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad request: the body, a parameter or the event is not valid.',
  401: 'No valid token (API Gateway), or a token without the id or role claim.',
  403: 'The role or the record is not allowed (whether the record exists or not).',
  404: 'Not found, to a caller allowed to see the record.',
  409: 'An answer conflicts with a stored or earlier one under the same identity.',
  413: 'The body is over 1 MiB (10 MB: API Gateway itself).',
  429: "Too many requests: the student's answers per minute (`RATE_LIMITED`, with `Retry-After`), or API Gateway's throttle of the route or stage (`{ message }`).",
  500: 'Internal error; the request id identifies it in the logs.',
};

/** The header of a `RATE_LIMITED` reply (`src/http/error-reply.ts`). */
const RETRY_AFTER = {
  'Retry-After': {
    description:
      'Whole seconds until the window that admits the answers again (sent with `RATE_LIMITED`; API Gateway sends none with its own 429).',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 60 },
  },
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  });
  return rest;
};

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

const json = (schema: unknown) => ({ 'application/json': { schema } });

const errorResponses = (codes: readonly ClientErrorCode[]) => {
  const byStatus = new Map<number, [ClientErrorCode, ...ClientErrorCode[]]>();
  for (const code of codes) {
    const status = HTTP_STATUS_BY_CODE[code];
    const same = byStatus.get(status);
    if (same === undefined) byStatus.set(status, [code]);
    else same.push(code);
  }
  const responses: Record<string, unknown> = {};
  for (const status of [...byStatus.keys()].sort()) {
    const statusCodes = byStatus.get(status) ?? [];
    const ours = errorBodySchema(statusCodes as [ClientErrorCode, ...ClientErrorCode[]]);
    const schema = GATEWAY_STATUSES.has(status) ? z.union([ours, gatewayErrorBodySchema]) : ours;
    responses[String(status)] = {
      description: `${STATUS_TEXT[status] ?? ''} Codes: ${statusCodes.join(', ')}.`,
      ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      content: json(jsonSchema(schema, 'output')),
    };
  }
  responses['500'] = {
    description: STATUS_TEXT[500],
    content: json(jsonSchema(z.union([internalErrorBodySchema, gatewayErrorBodySchema]), 'output')),
  };
  return responses;
};

const operation = (name: FunctionName, route: RouteDocument, path: string) => {
  const pathNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
  const parameters = [
    ...pathNames.map((parameter) => {
      const known = PATH_PARAMETERS[parameter];
      if (known === undefined)
        throw new Error(`openapi: no schema for path parameter ${parameter}`);
      return {
        name: parameter,
        in: 'path',
        required: true,
        description: known.description,
        schema: jsonSchema(known.schema, 'input'),
      };
    }),
    ...Object.entries(route.query ?? {}).map(([parameter, { description, schema }]) => ({
      name: parameter,
      in: 'query',
      required: false,
      description,
      schema: jsonSchema(schema, 'input'),
    })),
  ];
  return {
    operationId: name,
    summary: route.summary,
    description: route.description,
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: true, content: json(ref(route.body)) } }),
    responses: {
      '200': { description: STATUS_TEXT[200], content: json(ref(route.reply)) },
      ...errorResponses(route.errors),
    },
  };
};

const SECURITY_DESCRIPTION =
  "API Gateway's JWT authorizer (Cognito ID token) verifies the token; the functions read " +
  `two claims: the caller's LMS id (the claim named by \`LMS_ID_CLAIM\`, \`sub\` by default) ` +
  `and \`${ROLE_CLAIM}\`, one of ${ROLE_NAMES.map((role) => `\`${role}\``).join(', ')}.`;

let built: OpenApiDocument | undefined;

/**
 * The OpenAPI 3.1 document (built once, then shared: do not change it).
 *
 * @example
 * ```ts
 * const document = openApiDocument();
 * document.openapi; // '3.1.1'
 * ```
 */
export const openApiDocument = (): OpenApiDocument => {
  if (built !== undefined) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(ROUTES) as [FunctionName, RouteDocument][]) {
    const { trigger } = functions[name];
    if (trigger.kind !== 'http') throw new Error(`openapi: ${name} is not an HTTP function`);
    const { method, path } = trigger.route;
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(name, route, path) };
  }
  built = {
    openapi: '3.1.1',
    info: {
      title: 'lms-lambdas HTTP API',
      version: '1.0.0',
      description:
        'Answers in, results out: the HTTP API of the vocabulary LMS. Every reply is JSON; ' +
        'errors are `{ "error": { "code", "message" } }` (docs/http-api.md).',
    },
    security: [{ [SECURITY_SCHEME]: [] }],
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(COMPONENTS).map(([name, { schema, io }]) => [name, jsonSchema(schema, io)]),
      ),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: SECURITY_DESCRIPTION,
        },
      },
    },
  };
  return built;
};
