/**
 * A fault-injecting wrapper around a real document client's `send`: requests still go to
 * the real engine, but part of a batch can be held back and reported as unprocessed, the
 * way DynamoDB does under throttling. Also records every request and response.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommand['input']['RequestItems']>[string][number];

export interface Faults {
  /** Decides, per write of a BatchWrite, whether this attempt leaves it unprocessed. */
  holdWrite?: (write: WriteRequest, call: number) => boolean;
  /** Decides, per key of a BatchGet, whether this attempt leaves it unprocessed. */
  holdKey?: (key: Item, call: number) => boolean;
  /** Runs before a request is sent: lets a test interleave another writer's work. */
  beforeSend?: (command: unknown) => Promise<void>;
}

export interface Recorded {
  readonly name: string;
  readonly input: unknown;
  readonly output: unknown;
}

export const faultyClient = (doc: DynamoDBDocumentClient, faults: Faults = {}) => {
  const recorded: Recorded[] = [];
  let call = 0;
  const original = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;

  const send = async (command: unknown): Promise<unknown> => {
    call += 1;
    await faults.beforeSend?.(command);
    if (command instanceof BatchWriteCommand && faults.holdWrite !== undefined) {
      const held: Record<string, WriteRequest[]> = {};
      const passed: Record<string, WriteRequest[]> = {};
      for (const [table, writes] of Object.entries(command.input.RequestItems ?? {})) {
        for (const write of writes) {
          const bucket = faults.holdWrite(write, call) ? held : passed;
          bucket[table] = [...(bucket[table] ?? []), write];
        }
      }
      const output = (
        Object.keys(passed).length > 0
          ? await original(new BatchWriteCommand({ RequestItems: passed }))
          : { $metadata: {} }
      ) as BatchWriteCommandOutput;
      const result = { ...output, UnprocessedItems: { ...output.UnprocessedItems, ...held } };
      recorded.push({ name: 'BatchWriteCommand', input: command.input, output: result });
      return result;
    }
    if (command instanceof BatchGetCommand && faults.holdKey !== undefined) {
      const held: NonNullable<BatchGetCommandOutput['UnprocessedKeys']> = {};
      const passed: NonNullable<BatchGetCommand['input']['RequestItems']> = {};
      for (const [table, request] of Object.entries(command.input.RequestItems ?? {})) {
        const keys = request.Keys ?? [];
        const hold = keys.filter((key) => faults.holdKey?.(key, call));
        const pass = keys.filter((key) => !hold.includes(key));
        if (hold.length > 0) held[table] = { ...request, Keys: hold };
        if (pass.length > 0) passed[table] = { ...request, Keys: pass };
      }
      const output = (
        Object.keys(passed).length > 0
          ? await original(new BatchGetCommand({ RequestItems: passed }))
          : { $metadata: {}, Responses: {} }
      ) as BatchGetCommandOutput;
      const result = { ...output, UnprocessedKeys: held };
      recorded.push({ name: 'BatchGetCommand', input: command.input, output: result });
      return result;
    }
    const output = await original(command);
    recorded.push({
      name: command instanceof Object ? command.constructor.name : 'unknown',
      input: command instanceof Object && 'input' in command ? command.input : undefined,
      output,
    });
    return output;
  };

  const client = new Proxy(doc, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  });
  /** How many requests of a kind were sent (`'UpdateCommand'`, `'BatchWriteCommand'`, ...). */
  const count = (name: string) => recorded.filter((r) => r.name === name).length;
  return { client, recorded, count };
};
