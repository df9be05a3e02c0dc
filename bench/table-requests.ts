/**
 * Requests by command and table (`Query answers/recorded_key`, `GetItem student_state`):
 * what the request counter of `src/` cannot say, for rows such as "the roll-over sends no
 * Query to answers". A middleware on the bench's document client, removed when done.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TableRequests {
  /** `<Command> <table>[/<index>]` → requests, the prefix of the bench's tables removed. */
  snapshot(): Record<string, number>;
  reset(): void;
  remove(): void;
}

const NAME = 'benchTableRequests';

const tablesOf = (input: Record<string, unknown>): string[] => {
  if (typeof input.TableName === 'string') {
    return [
      typeof input.IndexName === 'string'
        ? `${input.TableName}/${input.IndexName}`
        : input.TableName,
    ];
  }
  const items = input.RequestItems;
  return typeof items === 'object' && items !== null ? Object.keys(items) : ['?'];
};

export const countTableRequests = (doc: DynamoDBDocumentClient, prefix: string): TableRequests => {
  const counts: Record<string, number> = {};
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input;
      if (typeof input === 'object' && input !== null) {
        for (const table of tablesOf(input as Record<string, unknown>)) {
          const key = `${command} ${table.startsWith(prefix) ? table.slice(prefix.length) : table}`;
          counts[key] = (counts[key] ?? 0) + 1;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: NAME },
  );
  return {
    snapshot: () => ({ ...counts }),
    reset: () => {
      for (const key of Object.keys(counts)) delete counts[key];
    },
    remove: () => {
      doc.middlewareStack.remove(NAME);
    },
  };
};
