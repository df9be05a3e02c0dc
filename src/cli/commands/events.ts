import type { Command } from 'commander';
import { functions } from '../../catalog/functions.ts';
import { sampleEvent } from '../../local/events/samples.ts';
import { isFunctionName } from '../../local/invoke/load-function.ts';
import type { Output } from '../context.ts';
import { UsageError } from '../errors.ts';

/** `lms events <function>`: a valid sample event, ready for `lms invoke --event -`. */
export const registerEvents = (program: Command, output: Output): void => {
  program
    .command('events')
    .description('print a valid sample event for a function (pipe it into lms invoke --event -)')
    .argument('<function>', 'function name')
    .action((name: string) => {
      if (!isFunctionName(name)) {
        throw new UsageError(
          `unknown function ${name}; known: ${Object.keys(functions).join(', ')}`,
        );
      }
      output.out(JSON.stringify(sampleEvent(name), null, 2));
    });
};
