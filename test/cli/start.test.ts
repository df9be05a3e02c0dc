import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, inject, it } from 'vitest';

const engine = inject('dynamodbEngine') === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';

/** Polls `check` until it returns a value, or fails at the deadline. */
const poll = async <T>(
  check: () => T | undefined,
  deadlineMs: number,
  what: string,
): Promise<T> => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('npm start (lms start) as a process', () => {
  it('prints a banner whose curl lines work, and stops everything on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/lms.mjs',
        'start',
        '--in-memory',
        '--port',
        '0',
        '--db-port',
        '0',
        '--no-schedule',
        '--engine',
        engine,
      ],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          LMS_TABLE_PREFIX: '',
          DYNAMODB_ENDPOINT: '',
          LMS_ID_CLAIM: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      await poll(
        () => (stdout.includes('Ctrl-C stops everything') ? true : undefined),
        90_000,
        'the banner',
      );
      const apiUrl = /HTTP API\s+(http:\/\/\S+)/.exec(stdout)?.[1];
      const dbPort = /DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
      const teacherToken = /export TEACHER_TOKEN=(\S+)/.exec(stdout)?.[1];
      const resultsLine = /curl -H "Authorization: Bearer \$TEACHER_TOKEN" (\S+)/.exec(stdout)?.[1];
      expect(apiUrl).toBeDefined();
      // Shaped as the deployed pool's ID tokens: a UUID sub, the LMS id the username.
      expect(stdout).toMatch(/export TEACHER_TOKEN=\S+ +# cognito:username \S+/);
      const payload = JSON.parse(
        Buffer.from(teacherToken?.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
      expect(payload).toMatchObject({
        sub: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        'cognito:username': expect.stringMatching(/^t-/),
        'custom:role': 'teacher',
        token_use: 'id',
      });
      expect(resultsLine?.startsWith(apiUrl ?? '-')).toBe(true);
      const response = await fetch(resultsLine ?? '', {
        headers: { authorization: `Bearer ${teacherToken}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        students: expect.any(Array),
        words: expect.any(Array),
      });

      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(stderr).toContain('local stack stopped');
      await expect(fetch(apiUrl ?? '')).rejects.toThrow();
      // No engine outlives the stack (a JVM would still hold its port).
      const left = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('DynamoDBLocal') && line.includes(`-port ${dbPort}`));
      expect(left).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
