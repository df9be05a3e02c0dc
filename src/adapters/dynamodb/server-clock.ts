/**
 * What AWS's clock says: the `Date` header of a DynamoDB response, with the local clock
 * read just before the request and just after the response. `lms --aws aggregate` runs a
 * job on a laptop, whose clock decides which answers are old enough to fold; it compares
 * it with AWS's before it starts (`lib/clock-skew.ts`).
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClockReading } from '../../lib/clock-skew.ts';

const dateHeaderOf = (response: unknown): string | undefined => {
  if (typeof response !== 'object' || response === null || !('headers' in response)) {
    return undefined;
  }
  const { headers } = response;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const date: unknown = Object.entries(headers).find(
    ([name]) => name.toLowerCase() === 'date',
  )?.[1];
  return typeof date === 'string' ? date : undefined;
};

/**
 * Reads the server's clock with one DescribeTable of `tableName` (a table the command uses
 * anyway, so its role may describe it). `undefined` when the response carries no `Date`.
 *
 * @example
 * ```ts
 * const reading = await readServerClock(client, 'prod-jobs', () => new Date());
 * ```
 */
export const readServerClock = async (
  client: DynamoDBClient,
  tableName: string,
  now: () => Date,
): Promise<ClockReading | undefined> => {
  let date: string | undefined;
  const command = new DescribeTableCommand({ TableName: tableName });
  // The document client hides the HTTP response: a middleware of this one command reads it.
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      date = dateHeaderOf(result.response);
      return result;
    },
    { step: 'deserialize', name: 'lmsServerDate' },
  );
  const sentAt = now().getTime();
  await client.send(command);
  const receivedAt = now().getTime();
  const server = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(server) ? undefined : { sentAt, receivedAt, server };
};
