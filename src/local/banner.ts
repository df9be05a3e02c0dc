/** What `lms start` prints once everything runs: where things are and what to try. */
import { Engine } from '../adapters/connect.ts';
import { addDays, localDate } from '../domain/time-zone.ts';
import type { JobInfo } from './aws/scheduler/jobs.ts';
import type { DatabaseVariable } from './database.ts';
import type { DemoIdentities } from './demo-identities.ts';
import { isLoopbackAddress } from './server/local-only.ts';

export interface BannerInput {
  readonly apiUrl: string;
  /** `--host`: on a non-loopback interface the console and /_jobs are off. */
  readonly host: string;
  readonly database: {
    readonly family: Engine;
    /** The endpoint or URL, for reading (a password left out). */
    readonly location: string;
    /** The line `lms` in another shell needs. */
    readonly variable: DatabaseVariable;
    /** The table prefix (DynamoDB) or the schema (PostgreSQL). */
    readonly namespace: string;
  };
  readonly engine: string;
  readonly storage: string;
  readonly prefix: string;
  readonly timezone: string;
  readonly jobs: readonly Pick<JobInfo, 'function' | 'schedule' | 'enabled' | 'next_run'>[];
  readonly tokens: Readonly<Record<string, { id: string; token: string }>>;
  /** The claim the functions read the LMS id from (`LMS_ID_CLAIM`). */
  readonly idClaim: string;
  readonly demo: DemoIdentities;
  readonly now: Date;
}

export const banner = (input: BannerInput): string => {
  const { apiUrl, demo, database } = input;
  const postgres = database.family === Engine.Postgres;
  const variable = database.variable;
  const localOnly = isLoopbackAddress(input.host);
  const lines = [
    '',
    'lms-lambdas local stack is running',
    '',
    localOnly
      ? `  Console    ${apiUrl}/   (open it in a browser and choose "demo teacher")`
      : `  Console and /_jobs: off, --host ${input.host} is not loopback (the HTTP API alone is served; schedules still run)`,
    `  HTTP API   ${apiUrl}   (API Gateway HTTP API, payload 2.0, JWT authorizer)`,
    postgres
      ? `  PostgreSQL ${database.location}   (${input.engine}, ${input.storage}, schema "${database.namespace}"; psql works too)`
      : `  DynamoDB   ${database.location}   (${input.engine}, ${input.storage}, table prefix "${database.namespace}")`,
    ...(localOnly
      ? [
          `  Jobs       POST ${apiUrl}/_jobs/<function> runs one now; GET ${apiUrl}/_jobs lists them`,
        ]
      : []),
    `  OpenAPI    ${apiUrl}/openapi.json   (no token; also \`lms openapi\`)`,
    ...input.jobs
      .filter((job) => job.enabled)
      .map(
        (job) =>
          `             ${job.function.padEnd(20)} cron "${job.schedule}" in ${input.timezone}, next ${job.next_run ?? '-'}`,
      ),
    '',
    '  Tokens (valid 12 h) and the settings `npx lms` needs beside this stack; paste into your shell:',
    ...Object.entries(input.tokens).map(
      ([role, { id, token }]) =>
        `    export ${role.toUpperCase()}_TOKEN=${token}   # ${input.idClaim} ${id}`,
    ),
    // The DynamoDB engines accept any region and credentials (DynamoDB Local runs with
    // -sharedDb), the local PostgreSQL ones trust user postgres on loopback: lms needs only
    // the endpoint or the URL, and the prefix when there is one (it names the schema too).
    // An external URL's password is the user's own: not printed, their shell has it.
    !postgres || new URL(variable.value).password === ''
      ? `    export ${variable.name}=${variable.value}`
      : `    # export ${variable.name}=...   (as set in your shell; its password is not printed)`,
    ...(input.prefix === '' ? [] : [`    export LMS_TABLE_PREFIX=${input.prefix}`]),
    '    npx lms tables list   # then any lms command works on these tables',
    '',
    '  Try:',
  ];
  // `-w '\n'`: a JSON reply ends without a newline, and would run into the shell's prompt.
  const auth = (role: string) => `-w '\\n' -H "Authorization: Bearer $${role.toUpperCase()}_TOKEN"`;
  if (demo.classCode !== undefined && demo.moduleId !== undefined) {
    // The last 7 days, today included: the demo module is the one the class answered in most
    // recently. The label names the range the query asks for, not a calendar week.
    const from = addDays(localDate(input.now, input.timezone), -6);
    lines.push(
      `    curl ${auth('teacher')} "${apiUrl}/classes/${demo.classCode}/modules/${demo.moduleId}/results?from=${from}"   # the last 7 days (from ${from})`,
    );
  }
  if (demo.studentId !== undefined) {
    lines.push(`    curl ${auth('parent')} ${apiUrl}/students/${demo.studentId}/progress`);
    lines.push(
      `    curl ${auth('parent')} ${apiUrl}/students/${demo.studentId}/review   # words to practise today`,
    );
    if (demo.moduleId !== undefined && demo.word !== undefined) {
      const body = JSON.stringify({
        answers: [
          {
            answer_id: `demo-${input.now.getTime()}`,
            student_id: demo.studentId,
            module_id: demo.moduleId,
            word: demo.word,
            correct: true,
            answered_at: input.now.toISOString(),
          },
        ],
      });
      lines.push(
        `    curl ${auth('student')} -H "content-type: application/json" -d '${body}' ${apiUrl}/answers`,
      );
    }
  }
  if (demo.parentId !== undefined)
    lines.push(`    curl ${auth('parent')} ${apiUrl}/parents/${demo.parentId}/summary`);
  // /_jobs takes JSON only (a cross-site form cannot send it); an empty body is no event.
  if (localOnly)
    lines.push(
      `    curl -w '\\n' -X POST -H "content-type: application/json" ${apiUrl}/_jobs/calc_all_stats`,
    );
  lines.push('', 'Ctrl-C stops everything.', '');
  return lines.join('\n');
};
