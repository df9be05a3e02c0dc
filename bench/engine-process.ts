/**
 * Runs an engine in a process of its own, so a benchmark's figures are not the engine's
 * CPU time on top of the job's (dynalite is JavaScript: in-process it would share the
 * event loop with the code being measured). Prints `ENDPOINT <url>`, stops on SIGTERM.
 */
import { createEngine, isEngineKind } from '../src/local/aws/engines/index.ts';

const kind = process.argv[2] ?? 'dynalite';
if (!isEngineKind(kind) || kind === 'external')
  throw new Error(`engine ${kind}: expected dynalite or dynamodb-local`);
const engine = createEngine({ kind });
await engine.start();
process.stdout.write(`ENDPOINT ${engine.endpoint}\n`);
const stop = async () => {
  await engine.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
// The parent holds our stdin open: when it dies, however it dies, the pipe closes and the
// engine stops with it instead of lingering.
process.stdin.on('end', () => void stop());
process.stdin.resume();
