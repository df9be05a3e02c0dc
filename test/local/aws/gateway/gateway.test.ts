/** API Gateway, locally, without a server: the authorizer, the event, the function's reply. */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../../../src/catalog/functions.ts';
import { createDevKeys } from '../../../../src/local/aws/auth/dev-keys.ts';
import { signDevToken } from '../../../../src/local/aws/auth/tokens.ts';
import { LocalGateway, replyOf } from '../../../../src/local/aws/gateway/gateway.ts';

const requestWith = (authorization?: string) => {
  const request = new IncomingMessage(new Socket());
  request.method = 'GET';
  request.url = '/students/s-1/progress';
  if (authorization !== undefined) request.headers.authorization = authorization;
  return request;
};

describe('replyOf: a Lambda result as API Gateway answers it (payload format 2.0)', () => {
  it('takes statusCode, headers and body; decodes a base64 body', () => {
    expect(replyOf({ statusCode: 201, headers: { 'x-n': 1 }, body: '{"a":1}' })).toEqual({
      status: 201,
      headers: { 'x-n': '1' },
      body: '{"a":1}',
    });
    const reply = replyOf({ statusCode: 200, body: 'aGk=', isBase64Encoded: true });
    expect(Buffer.from(reply.body).toString('utf8')).toBe('hi');
  });

  it('takes anything else as a 200 JSON body', () => {
    expect(replyOf({ n: 1 })).toMatchObject({ status: 200, body: '{"n":1}' });
    expect(replyOf('text')).toMatchObject({ status: 200, body: 'text' });
    expect(replyOf(undefined)).toMatchObject({ status: 200, body: 'null' });
  });
});

describe('LocalGateway', () => {
  const setUp = async (handle: () => Promise<unknown>) => {
    const keys = await createDevKeys();
    const lines: string[] = [];
    const invoked: FunctionName[] = [];
    const gateway = new LocalGateway({
      keys,
      load: async (name) => {
        invoked.push(name);
        return handle;
      },
      log: (line) => lines.push(line),
    });
    const match = gateway.match('GET', '/students/s-1/progress');
    if (match.kind !== 'match') throw new Error('no route');
    return { keys, lines, invoked, gateway, match };
  };
  const url = new URL('http://127.0.0.1/students/s-1/progress');

  it('answers 401 itself without a token, never invoking the function, and logs why', async () => {
    const { gateway, match, lines, invoked } = await setUp(async () => ({ statusCode: 200 }));
    const reply = await gateway.call(match, requestWith(), url, Buffer.alloc(0));
    expect(reply).toMatchObject({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(reply.headers['www-authenticate']).toBe('Bearer');
    expect(invoked).toEqual([]);
    expect(lines.join('\n')).toContain('no bearer token');
  });

  it('invokes the route function with a verified token; a throw is a 500', async () => {
    const ok = await setUp(async () => ({ statusCode: 200, body: '{}' }));
    const token = await signDevToken(ok.keys, { id: 's-1', role: 'student' });
    const reply = await ok.gateway.call(
      ok.match,
      requestWith(`Bearer ${token}`),
      url,
      Buffer.alloc(0),
    );
    expect(reply.status).toBe(200);
    expect(ok.invoked).toEqual(['student_progress']);

    const failing = await setUp(async () => {
      throw new Error('boom');
    });
    const again = await signDevToken(failing.keys, { id: 's-1', role: 'student' });
    const failed = await failing.gateway.call(
      failing.match,
      requestWith(`Bearer ${again}`),
      url,
      Buffer.alloc(0),
    );
    expect(failed).toMatchObject({ status: 500, body: '{"message":"Internal Server Error"}' });
    expect(failing.lines.join('\n')).toContain('student_progress threw');
  });
});
