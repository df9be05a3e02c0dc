/**
 * Headless Chromium for the console's tests: Debian's `/usr/bin/chromium` driven by
 * playwright-core (which never downloads a browser here). The browser's pid and its
 * children are kept, and stopping asserts that none of them is left running.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { isProcessAlive } from '../../src/local/aws/engines/index.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Why the browser tests are skipped, or undefined when they run. In CI a missing
 * chromium is a failure (`.ci/run` installs it), never a skip.
 */
export const browserSkipReason = (): string | undefined =>
  existsSync(CHROMIUM_PATH) || process.env.CI !== undefined
    ? undefined
    : `no ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it in CI)`;

/**
 * Beyond what playwright-core passes itself (--headless, --no-sandbox, a fresh temporary
 * --user-data-dir removed on close, --no-first-run, --disable-background-networking,
 * --disable-component-update, --disable-sync...): no GPU and no QUIC on this machine.
 */
const EXTRA_ARGS = ['--disable-gpu', '--disable-quic'];

const STOP_DEADLINE_MS = 10_000;

const waitUntil = async (done: () => boolean, deadlineMs: number): Promise<boolean> => {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
};

/** Every process under `pid` now (from /proc: Chromium's zygote, renderers, utilities). */
const descendants = (pid: number): number[] => {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parents) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
};

export interface TestBrowser {
  readonly browser: Browser;
  readonly pid: number;
  /** Closes the browser; rejects if a process of it is still alive after a kill. */
  readonly stop: () => Promise<void>;
}

export const launchBrowser = async (): Promise<TestBrowser> => {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: EXTRA_ARGS,
  });
  const pid = server.process().pid;
  if (pid === undefined) {
    await server.close();
    throw new Error('chromium started without a pid');
  }
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    pid,
    stop: async () => {
      const family = [pid, ...descendants(pid)];
      await browser.close().catch(() => {});
      await server.close();
      const alive = () => family.filter(isProcessAlive);
      if (await waitUntil(() => alive().length === 0, STOP_DEADLINE_MS)) return;
      for (const left of alive()) process.kill(left, 'SIGKILL');
      await waitUntil(() => alive().length === 0, STOP_DEADLINE_MS);
      throw new Error(
        `chromium processes ${alive().join(', ') || family.join(', ')} outlived close()`,
      );
    },
  };
};

/** Whether any process of the browser (pid or one of its children) is still running. */
export const browserLeft = (browser: TestBrowser): boolean =>
  isProcessAlive(browser.pid) || descendants(browser.pid).length > 0;
