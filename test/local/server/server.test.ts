/**
 * The local API's own rules for its local-only routes (the console and /_jobs), on a real
 * server with real requests: loopback Host names only, state changes as same-origin JSON,
 * nothing of them on a non-loopback interface; and a malformed %-escape is a 400 anywhere.
 * Requests go through node:http, since fetch may not set Host.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import type { FunctionName } from '../../../src/catalog/functions.ts';
import { createDevKeys } from '../../../src/local/aws/auth/dev-keys.ts';
import { LocalJobs } from '../../../src/local/aws/scheduler/jobs.ts';
import { ConsoleApi } from '../../../src/local/console/console-api.ts';
import { LocalApi } from '../../../src/local/server/server.ts';
import { demoIdentities } from '../../support/fixtures.ts';

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

interface Started {
  readonly api: LocalApi;
  readonly jobs: LocalJobs;
  /** The functions the API invoked, jobs included. */
  readonly invoked: FunctionName[];
}

const logs: string[] = [];
let loopback: Started;
let network: Started;

const startApi = async (host: string): Promise<Started> => {
  const invoked: FunctionName[] = [];
  const { db } = createMemoryDb();
  await db.teachers.put({ id: 't-1', name: 'Ms One', school_code: 'sc-1' });
  const keys = await createDevKeys();
  const load = async (name: FunctionName) => async () => {
    invoked.push(name);
    return { statusCode: 200, body: '{}' };
  };
  const jobs = new LocalJobs({ timezone: 'Asia/Shanghai', load, log: () => {}, schedule: false });
  const api = new LocalApi({
    port: 0,
    host,
    keys,
    load,
    jobs,
    log: (line) => logs.push(line),
    assets: async (path) =>
      path === '/'
        ? { contentType: 'text/html; charset=utf-8', body: '<p>console</p>' }
        : undefined,
    console: new ConsoleApi({
      db,
      keys,
      idClaim: 'cognito:username',
      demo: demoIdentities({ teacherId: 't-1' }),
      timezone: 'Asia/Shanghai',
    }),
  });
  await api.start();
  return { api, jobs, invoked };
};

beforeAll(async () => {
  [loopback, network] = await Promise.all([startApi('127.0.0.1'), startApi('0.0.0.0')]);
});
afterAll(async () => {
  await loopback?.api.stop();
  await network?.api.stop();
});

const port = (stack: Started) => Number(new URL(stack.api.url).port);

const call = (
  path: string,
  options: {
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    readonly to?: Started;
  } = {},
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const sent = httpRequest(
      {
        host: '127.0.0.1',
        port: port(options.to ?? loopback),
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // The console's page is HTML.
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });

const JSON_TYPE = { 'content-type': 'application/json' };
const own = () => `127.0.0.1:${port(loopback)}`;
const signInBody = JSON.stringify({ role: 'teacher', id: 't-1' });
const runs = () =>
  loopback.jobs.list().flatMap((job) => [...job.runs, ...(job.current ? [job.current] : [])]);
const error = (status: number, code: string) => ({
  status,
  body: { error: { code, message: expect.any(String) } },
});

/** Every request (`METHOD path`), as JSON (a POST with a body), gets `expected`. */
const expectEach = async (
  to: Started,
  requests: readonly `${'GET' | 'POST'} ${string}`[],
  expected: Reply,
) => {
  for (const line of requests) {
    const [method = '', path = ''] = line.split(' ');
    const body = method === 'POST' ? { body: signInBody } : {};
    const reply = await call(path, { to, method, headers: JSON_TYPE, ...body });
    expect(reply, `${method} ${path}`).toEqual(expected);
  }
};

describe('the console and /_jobs answer loopback Host names only', () => {
  it('refuses a DNS-rebinding Host with 403 JSON: no page, no token, no job', async () => {
    const rebound = { host: `evil.example:${port(loopback)}` };
    expect(await call('/', { headers: rebound })).toEqual(error(403, 'HOST_NOT_LOOPBACK'));
    expect(await call('/_console/identities', { headers: rebound })).toEqual(
      error(403, 'HOST_NOT_LOOPBACK'),
    );
    expect(await call('/_jobs', { headers: rebound })).toEqual(error(403, 'HOST_NOT_LOOPBACK'));
    const signIn = await call('/_console/sign-in', {
      method: 'POST',
      headers: { ...rebound, ...JSON_TYPE, origin: `http://${rebound.host}` },
      body: signInBody,
    });
    expect(signIn).toEqual(error(403, 'HOST_NOT_LOOPBACK'));
    const job = await call('/_jobs/calc_all_stats?wait=false', {
      method: 'POST',
      headers: { ...rebound, ...JSON_TYPE },
    });
    expect(job).toEqual(error(403, 'HOST_NOT_LOOPBACK'));
    // A loopback address as a subdomain is still someone's name.
    expect(await call('/_jobs', { headers: { host: '127.0.0.1.evil.example' } })).toEqual(
      error(403, 'HOST_NOT_LOOPBACK'),
    );
    expect(runs()).toEqual([]);
  });

  it('answers 127.0.0.1, localhost and [::1], with a port or without', async () => {
    for (const host of [
      own(),
      `localhost:${port(loopback)}`,
      `[::1]:${port(loopback)}`,
      'localhost',
    ]) {
      expect((await call('/_console/identities', { headers: { host } })).status, host).toBe(200);
      expect((await call('/', { headers: { host } })).body, host).toBe('<p>console</p>');
    }
  });
});

describe('a request that changes state is same-origin JSON', () => {
  it('refuses a foreign Origin with 403, even as JSON', async () => {
    for (const origin of [
      'http://evil.example',
      `http://localhost:${port(network)}`,
      `https://${own()}`,
      'null',
    ]) {
      const signIn = await call('/_console/sign-in', {
        method: 'POST',
        headers: { ...JSON_TYPE, origin },
        body: signInBody,
      });
      expect(signIn, origin).toEqual(error(403, 'CROSS_ORIGIN'));
      const job = await call('/_jobs/calc_all_stats?wait=false', {
        method: 'POST',
        headers: { ...JSON_TYPE, origin },
      });
      expect(job, origin).toEqual(error(403, 'CROSS_ORIGIN'));
    }
    expect(runs()).toEqual([]);
  });

  it('refuses a text/plain POST (a cross-site simple request) with 415: no job starts', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
      const job = await call('/_jobs/aggregate_students?wait=false', {
        method: 'POST',
        headers,
        body: '{}',
      });
      expect(job, type).toEqual(error(415, 'UNSUPPORTED_MEDIA_TYPE'));
      const signIn = await call('/_console/sign-in', {
        method: 'POST',
        headers,
        body: signInBody,
      });
      expect(signIn, type).toEqual(error(415, 'UNSUPPORTED_MEDIA_TYPE'));
    }
    expect(runs()).toEqual([]);
    expect(loopback.invoked).toEqual([]);
  });

  it('takes JSON from the stack’s own page, or from a program that sends no Origin', async () => {
    const signIn = await call('/_console/sign-in', {
      method: 'POST',
      headers: { ...JSON_TYPE, origin: `http://${own()}` },
      body: signInBody,
    });
    expect(signIn).toMatchObject({ status: 200, body: { role: 'teacher', id: 't-1' } });
    const curl = await call('/_jobs/calc_all_stats', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(curl.status).toBe(200);
    expect(loopback.invoked).toEqual(['calc_all_stats']);
  });
});

describe('on a non-loopback --host the API is served alone', () => {
  it('has no console page, no sign-in, no console back-end and no jobs', async () => {
    await expectEach(
      network,
      [
        'GET /',
        'GET /_console/assets/app.js',
        'GET /_console/identities',
        'POST /_console/sign-in',
        'GET /_jobs',
        'POST /_jobs/calc_all_stats',
      ],
      error(404, 'LOCAL_ONLY'),
    );
    // The API itself: its authorizer, and the OpenAPI document.
    expect(await call('/students/s-1/progress', { to: network })).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
    });
    expect((await call('/openapi.json', { to: network })).status).toBe(200);
    expect(network.invoked).toEqual([]);
  });
});

describe('a malformed %-escape in the path', () => {
  it('is a 400 JSON error on every route, never a 500', async () => {
    const paths = ['/_console/%E0', '/_jobs/calc_all_stats/runs/%E0', '/students/%E0/progress'];
    const requests = [
      ...[...paths, '//['].map((path) => `GET ${path}` as const),
      'POST /_jobs/%E0' as const,
    ];
    await expectEach(loopback, requests, error(400, 'INVALID_PATH'));
    expect(logs.filter((line) => line.startsWith('api:'))).toEqual([]);
  });
});
