/**
 * Map keys named `__proto__` or `constructor` through the document client, both ways.
 *
 * `@aws-sdk/util-dynamodb`, which lib-dynamodb marshals with, builds maps by assignment
 * (`map[key] = value`): a `__proto__` key becomes a prototype change and is lost, and an
 * own `constructor` key makes it misjudge a plain object as a class instance and refuse
 * it ("Unsupported type passed"). A module id is data and may be either, and it is a key
 * of `student_progress.modules`. Neither library has an option for this, so each document
 * command gets four middlewares around lib-dynamodb's own `DocumentMarshall` and
 * `DocumentUnmarshall`: the keys are renamed to stand-ins before the library sees them and
 * back after (`lib/own-keys.ts`). The low-level client itself (its JSON serializer and
 * deserializer) carries such keys faithfully.
 *
 * Per command, not on the client's stack: a relative middleware must name a neighbour
 * that exists, and the low-level commands that share the stack (table administration,
 * the raw scans of `lms export`) have no `DocumentMarshall`. And only on the commands of
 * tables whose items hold such maps (`entities/index.ts`, `tablesWithDataKeyedMaps`):
 * the walks cost every item of every command, and no other table has a data-keyed map.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { hideSpecialKeys, restoreSpecialKeys } from '../../lib/own-keys.ts';

interface Args {
  readonly input: unknown;
}
interface Result {
  readonly output: unknown;
}
type Next = (args: Args) => Promise<Result>;

/** The part of a command's middleware stack used here. */
interface RelativeStack {
  addRelativeTo(
    middleware: (next: Next) => Next,
    options: {
      readonly name: string;
      readonly relation: 'before' | 'after';
      readonly toMiddleware: string;
      readonly override: boolean;
    },
  ): void;
}

const isDocumentCommand = (command: unknown): command is { middlewareStack: RelativeStack } =>
  typeof command === 'object' &&
  command !== null &&
  // lib-dynamodb's commands wrap a low-level one; their stack gains `DocumentMarshall`.
  'clientCommand' in command &&
  'middlewareStack' in command;

const onInput =
  (rename: <T>(value: T) => T) =>
  (next: Next): Next =>
  (args) =>
    next({ ...args, input: rename(args.input) });

const onOutput =
  (rename: <T>(value: T) => T) =>
  (next: Next): Next =>
  async (args) => {
    const result = await next(args);
    return { ...result, output: rename(result.output) };
  };

/**
 * The four middlewares, in the order a request meets them:
 * plain values → hide → `DocumentMarshall` → restore → serializer, and
 * deserializer → hide → `DocumentUnmarshall` → restore → plain values.
 */
const MIDDLEWARES = [
  ['HideSpecialKeysOfInput', onInput(hideSpecialKeys), 'before', 'DocumentMarshall'],
  ['RestoreSpecialKeysOfInput', onInput(restoreSpecialKeys), 'after', 'DocumentMarshall'],
  ['HideSpecialKeysOfOutput', onOutput(hideSpecialKeys), 'after', 'DocumentUnmarshall'],
  ['RestoreSpecialKeysOfOutput', onOutput(restoreSpecialKeys), 'before', 'DocumentUnmarshall'],
] as const;

/** Adds the middlewares to a document command (again on a re-send: `override`). */
const keepSpecialKeysOf = (command: { middlewareStack: RelativeStack }): void => {
  for (const [name, middleware, relation, toMiddleware] of MIDDLEWARES) {
    command.middlewareStack.addRelativeTo(middleware, {
      name,
      relation,
      toMiddleware,
      override: true,
    });
  }
};

/**
 * A view of the document client whose every document command (the SDK's paginators
 * included: they call `send`) keeps `__proto__` and `constructor` map keys. The client
 * itself is left as it is: only the tables whose items hold data-keyed maps go through
 * the view (`db.ts`), every other command is spared the two walks of its items. A `Proxy`,
 * so the paginators, which check the client's class, accept it.
 *
 * @example
 * ```ts
 * const progress = new Ddb(keepSpecialKeys(doc)); // for student_progress only
 * ```
 */
export const keepSpecialKeys = (doc: DynamoDBDocumentClient): DynamoDBDocumentClient => {
  const send = doc.send.bind(doc);
  // `send` has several overloads (promise, callback); this wrapper passes every argument
  // through unchanged, so it has each of them, which TypeScript cannot infer for it.
  const keeping = ((...args: Parameters<typeof send>) => {
    if (isDocumentCommand(args[0])) keepSpecialKeysOf(args[0]);
    return send(...args);
  }) as DynamoDBDocumentClient['send'];
  return new Proxy(doc, {
    get: (target, property, receiver) =>
      property === 'send' ? keeping : Reflect.get(target, property, receiver),
  });
};
