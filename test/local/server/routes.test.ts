/** The local server's one route table: its order, which row serves a request, what is local-only. */
import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { createDevKeys } from '../../../src/local/aws/auth/dev-keys.ts';
import { LocalGateway } from '../../../src/local/aws/gateway/gateway.ts';
import { LocalJobs } from '../../../src/local/aws/scheduler/jobs.ts';
import { ConsoleApi } from '../../../src/local/console/console-api.ts';
import { isLocalOnlyPath, routeOf, serverRoutes } from '../../../src/local/server/routes.ts';
import { demoIdentities } from '../../support/fixtures.ts';

const tableOf = async (withConsole: boolean) => {
  const keys = await createDevKeys();
  const load = async () => async () => ({ statusCode: 200, body: '{}' });
  const jobs = new LocalJobs({ timezone: 'Asia/Shanghai', load, log: () => {}, schedule: false });
  return serverRoutes({
    gateway: new LocalGateway({ keys, load, log: () => {} }),
    jobs,
    ...(withConsole
      ? {
          assets: async () => undefined,
          console: new ConsoleApi({
            db: createMemoryDb().db,
            keys,
            idClaim: 'cognito:username',
            demo: demoIdentities({ teacherId: 't-1' }),
            timezone: 'Asia/Shanghai',
          }),
        }
      : {}),
  });
};

describe('the server route table', () => {
  it('is, in order: OpenAPI, the console page and assets, its requests, /_jobs, the API', async () => {
    expect((await tableOf(true)).map((route) => route.name)).toEqual([
      'OpenAPI document',
      'console page and assets',
      'console requests',
      'jobs',
      'HTTP API',
    ]);
  });

  it('gives each request to the first row whose method and path match', async () => {
    const routes = await tableOf(true);
    const served = (method: string, path: string) => routeOf(routes, method, path)?.name;
    expect(served('GET', '/openapi.json')).toBe('OpenAPI document');
    expect(served('POST', '/openapi.json')).toBe('OpenAPI document'); // its 405
    expect(served('GET', '/')).toBe('console page and assets');
    expect(served('HEAD', '/_console/assets/app.js')).toBe('console page and assets');
    expect(served('GET', '/favicon.ico')).toBe('console page and assets');
    expect(served('POST', '/_console/assets/app.js')).toBe('console requests');
    expect(served('POST', '/_console/sign-in')).toBe('console requests');
    expect(served('GET', '/_jobs')).toBe('jobs');
    expect(served('POST', '/_jobs/calc_all_stats')).toBe('jobs');
    expect(served('GET', '/_jobsx')).toBe('HTTP API');
    expect(served('POST', '/')).toBe('HTTP API'); // the API's 404
    expect(served('GET', '/students/s-1/progress')).toBe('HTTP API');
  });

  it('without the console, its paths go on to the API, and stay local-only', async () => {
    const routes = await tableOf(false);
    expect(routeOf(routes, 'GET', '/')?.name).toBe('HTTP API');
    expect(routeOf(routes, 'GET', '/_console/identities')?.name).toBe('HTTP API');
    expect(isLocalOnlyPath(routes, '/')).toBe(true);
    expect(isLocalOnlyPath(routes, '/_console/identities')).toBe(true);
  });

  it('guards the console page, its assets and requests, and /_jobs; not the API', async () => {
    const routes = await tableOf(true);
    for (const path of [
      '/',
      '/favicon.ico',
      '/_console/assets/app.js',
      '/_console/sign-in',
      '/_jobs',
      '/_jobs/x',
    ])
      expect(isLocalOnlyPath(routes, path), path).toBe(true);
    for (const path of ['/openapi.json', '/students/s-1/progress', '/_jobsx', '/_console'])
      expect(isLocalOnlyPath(routes, path), path).toBe(false);
  });
});
