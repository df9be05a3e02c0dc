import { DynaliteEngine } from './dynalite.ts';
import { DynamoDbLocalEngine } from './dynamodb-local.ts';
import type { EngineOptions, LocalEngine } from './engine.ts';
import { EngineOptionsError } from './errors.ts';
import { ExternalEngine } from './external.ts';

export { DynaliteEngine, type DynaliteEngineOptions } from './dynalite.ts';
export { DynamoDbLocalEngine, type DynamoDbLocalEngineOptions } from './dynamodb-local.ts';
export {
  ENGINE_KINDS,
  EngineKind,
  type EngineOptions,
  isEngineKind,
  type LocalEngine,
} from './engine.ts';
export {
  EngineAlreadyStartedError,
  EngineNotStartedError,
  EngineOptionsError,
  EngineStartError,
  EngineStopError,
} from './errors.ts';
export { ExternalEngine, type ExternalEngineOptions } from './external.ts';
export { isProcessAlive } from './process.ts';
export { waitForDynamoDb } from './ready.ts';

/**
 * Builds (does not start) the engine `options.kind` names. Options that do not apply to that
 * kind are ignored, so one options object read from flags/env can be passed whatever the kind.
 *
 * @throws {EngineOptionsError} for `external` without an endpoint, a bad URL or a bad port.
 *
 * @example
 * ```ts
 * const engine = createEngine(
 *   process.env.DYNAMODB_ENDPOINT
 *     ? { kind: 'external', endpoint: process.env.DYNAMODB_ENDPOINT }
 *     : { kind: 'dynalite', path: '.data/dynalite' },
 * );
 * await engine.start();
 * ```
 */
export function createEngine(options: EngineOptions): LocalEngine {
  switch (options.kind) {
    case 'dynalite':
      return new DynaliteEngine({ port: options.port, path: options.path });
    case 'dynamodb-local':
      return new DynamoDbLocalEngine({
        port: options.port,
        path: options.path,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
      });
    case 'external':
      if (!options.endpoint) {
        throw new EngineOptionsError(
          'the external engine needs an endpoint (set DYNAMODB_ENDPOINT, e.g. http://localhost:8000)',
        );
      }
      return new ExternalEngine({
        endpoint: options.endpoint,
        startTimeoutMs: options.startTimeoutMs,
      });
    default: {
      const kind: never = options.kind;
      throw new EngineOptionsError(`unknown engine kind ${JSON.stringify(kind)}`);
    }
  }
}
