/**
 * The OpenAPI document: valid OpenAPI 3.1 by an independent validator, every route of the
 * catalogue in it, and its hand-made reply schemas of the same shape as the types the
 * code builds replies with.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import { functionNames, functions } from '../../src/catalog/functions.ts';
import { openApiDocument } from '../../src/openapi/document.ts';
import type { AnswerConflict, AnswerIssue } from '../../src/services/answers/errors.ts';
import type { RecordAnswersResult } from '../../src/services/answers/record-answers.ts';
import type {
  answerConflictSchema,
  answerIssueSchema,
  recordAnswersResultSchema,
} from '../../src/services/answers/schemas.ts';
import type { ModuleResultsReply } from '../../src/services/results/module-results.ts';
import type { moduleResultsReplySchema } from '../../src/services/results/schemas.ts';

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type Same<S extends z.ZodType> = DeepReadonly<z.output<S>>;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    // A copy: the validator may annotate what it is given.
    const result = await validator.validate(structuredClone(openApiDocument()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has exactly the HTTP routes of the catalogue, each behind the JWT scheme', () => {
    const document = openApiDocument() as {
      paths: Record<string, Record<string, { operationId: string }>>;
      security: unknown;
    };
    const routes = functionNames.flatMap((name) => {
      const { trigger } = functions[name];
      return trigger.kind === 'http'
        ? [`${trigger.route.method.toLowerCase()} ${trigger.route.path} ${name}`]
        : [];
    });
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, { operationId }]) => `${method} ${path} ${operationId}`,
      ),
    );
    expect(documented.sort()).toEqual(routes.sort());
    expect(document.security).toEqual([{ lmsJwt: [] }]);
  });

  it('reply schemas have the shapes of the types the code builds replies with', () => {
    expectTypeOf<Same<typeof moduleResultsReplySchema>>().toEqualTypeOf<
      DeepReadonly<ModuleResultsReply>
    >();
    expectTypeOf<Same<typeof recordAnswersResultSchema>>().toEqualTypeOf<
      DeepReadonly<RecordAnswersResult>
    >();
    expectTypeOf<Same<typeof answerIssueSchema>>().toEqualTypeOf<DeepReadonly<AnswerIssue>>();
    expectTypeOf<Same<typeof answerConflictSchema>>().toEqualTypeOf<DeepReadonly<AnswerConflict>>();
  });
});
