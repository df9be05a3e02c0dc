import type { Command } from 'commander';
import { openApiDocument } from '../../openapi/document.ts';
import type { Output } from '../context.ts';

/** `lms openapi`: the OpenAPI 3.1 document of the HTTP API, as JSON on stdout. */
export const registerOpenApi = (program: Command, output: Output): void => {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the HTTP API (JSON)')
    .option('--compact', 'one line instead of indented JSON')
    .action((options: { compact?: boolean }) => {
      output.out(JSON.stringify(openApiDocument(), null, options.compact === true ? 0 : 2));
    });
};
