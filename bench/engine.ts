import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface BenchEngine {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `bench/engine-process.ts` as a child and waits for its endpoint (with a deadline). */
export const startBenchEngine = async (kind: string, timeoutMs = 120_000): Promise<BenchEngine> => {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./engine-process.ts', import.meta.url).pathname, kind],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  const pid = child.pid;
  if (pid === undefined || child.stdout === null)
    throw new Error('could not start the engine process');
  const lines = createInterface({ input: child.stdout });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`engine not ready after ${timeoutMs} ms`)),
      timeoutMs,
    );
    lines.on('line', (line) => {
      if (line.startsWith('ENDPOINT ')) {
        clearTimeout(timer);
        resolve(line.slice('ENDPOINT '.length));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine process exited with ${code}`));
    });
  });
  return {
    endpoint,
    pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(pid, 'SIGTERM');
      await exited;
    },
  };
};
