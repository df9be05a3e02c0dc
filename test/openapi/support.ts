/**
 * Checks replies against the OpenAPI document: the response schema of an operation and
 * status, compiled by ajv as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), formats
 * (`date-time`, `date`) checked.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../../src/openapi/document.ts';

const DOCUMENT_ID = 'https://lms.example/openapi.json';

/** A JSON pointer segment (`/` and `~` escaped). */
const segment = (text: string): string => text.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * @example
 * ```ts
 * const check = replyChecker(openApiDocument());
 * check('get', '/students/{id}/progress', 200, body); // [] or the errors
 * ```
 */
export const replyChecker = (document: OpenApiDocument) => {
  // Not strict: the document's own keywords (openapi, paths, ...) are not JSON Schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();
  return (method: string, path: string, status: number, body: unknown): string[] => {
    const pointer = `#/paths/${segment(path)}/${method}/responses/${status}/content/${segment('application/json')}/schema`;
    let validate = compiled.get(pointer);
    if (validate === undefined) {
      validate = ajv.getSchema(`${DOCUMENT_ID}${pointer}`);
      if (validate === undefined) return [`the document has no schema at ${pointer}`];
      compiled.set(pointer, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    );
  };
};
