/**
 * `/_jobs`: the scheduler's jobs over HTTP, for the console's jobs view and a person's curl.
 * `GET /_jobs` lists them, `POST /_jobs/<function>` runs one (waiting, or not with
 * `?wait=false`), `GET /_jobs/<function>/runs/<id>` reads one run. Local only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePathSegment } from '../aws/gateway/routes.ts';
import { JobBusyError, jobErrorOf, type LocalJobs, NotAJobError } from '../aws/scheduler/jobs.ts';
import { isFunctionName } from '../invoke/load-function.ts';
import { json, MAX_PAYLOAD_BYTES, readBody, send, sendError, sendTooLarge } from './http.ts';

const JOBS_PATH = '/_jobs';

export const handleJobs = async (
  jobs: LocalJobs,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  method: string,
): Promise<void> => {
  const [name = '', ...rest] = url.pathname
    .slice(`${JOBS_PATH}/`.length)
    .split('/')
    .map((segment) => decodePathSegment(segment));
  if (url.pathname === JOBS_PATH || (name === '' && rest.length === 0)) {
    if (method !== 'GET')
      return sendError(response, 405, 'METHOD_NOT_ALLOWED', 'GET /_jobs lists the jobs');
    return send(response, 200, json({ jobs: jobs.list() }));
  }
  if (!isFunctionName(name))
    return sendError(response, 404, 'UNKNOWN_FUNCTION', `no function ${name.slice(0, 100)}`);
  if (rest.length > 0) {
    // GET /_jobs/<function>/runs/<id>: one run, while it runs or among the kept ones.
    const [runs, id, ...more] = rest;
    const run =
      runs === 'runs' && id !== undefined && more.length === 0 && method === 'GET'
        ? jobs.findRun(name, id)
        : undefined;
    if (run === undefined) {
      return sendError(
        response,
        404,
        'UNKNOWN_RUN',
        `no run ${url.pathname.slice(0, 200)}: GET /_jobs/${name}/runs/<id> of a run GET /_jobs lists`,
      );
    }
    return send(response, 200, json({ run }));
  }
  if (method !== 'POST')
    return sendError(response, 405, 'METHOD_NOT_ALLOWED', `POST /_jobs/${name} runs the job now`);
  const wait = url.searchParams.get('wait') !== 'false';
  const read = await readBody(request, MAX_PAYLOAD_BYTES);
  if (read.kind === 'too-large') return sendTooLarge(response);
  const text = read.body.toString('utf8').trim();
  let event: unknown;
  try {
    event = text === '' ? undefined : JSON.parse(text);
  } catch {
    return sendError(response, 400, 'INVALID_JSON', 'the body must be a JSON event or empty');
  }
  try {
    if (wait) send(response, 200, json(await jobs.run(name, event)));
    else send(response, 202, json({ run: jobs.launch(name, event) }));
  } catch (error) {
    if (error instanceof NotAJobError || error instanceof JobBusyError)
      return sendError(
        response,
        error instanceof NotAJobError ? 400 : 409,
        error.code,
        error.message,
      );
    send(response, 500, json({ error: jobErrorOf(error) }));
  }
};
