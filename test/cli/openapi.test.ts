import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/openapi/document.ts';
import { runLms } from '../support/cli.ts';

/** No database is touched: any endpoint will do. */
const nowhere = { env: { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }, prefix: 'unused-' };

describe('lms openapi', () => {
  it('prints the OpenAPI document, indented or on one line', async () => {
    const indented = await runLms(nowhere, 'openapi');
    expect(indented.code).toBe(0);
    expect(JSON.parse(indented.out)).toEqual(openApiDocument());
    const compact = await runLms(nowhere, 'openapi', '--compact');
    expect(compact.out).not.toContain('\n');
    expect(JSON.parse(compact.out)).toEqual(openApiDocument());
  });
});
