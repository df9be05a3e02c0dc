/**
 * `src/functions/README.md` from the catalogue (`npm run docs:functions`): every deployed
 * function with its trigger, the scheduled ones that run first. The folder names are
 * deployment identifiers and cannot say which job runs nightly; this file, beside them,
 * does. `test/scripts/functions-readme.test.ts` fails when the file and the catalogue
 * disagree, so it cannot drift.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type FunctionDefinition,
  type FunctionName,
  functionNames,
  functions,
  type Schedule,
} from '../src/catalog/functions.ts';

export const FUNCTIONS_README = fileURLToPath(
  new URL('../src/functions/README.md', import.meta.url),
);

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** A schedule that fires once a day, switched on: what the scheduler runs every night. */
const isNightly = (schedule: Schedule): boolean => schedule.enabled && schedule.hour !== undefined;

/** Nightly jobs by time of day, then the hourly ones, then those switched off; then the rest. */
const rank = ({ trigger }: FunctionDefinition): number => {
  if (trigger.kind !== 'schedule') return trigger.kind === 'http' ? 3000 : 4000;
  const { schedule } = trigger;
  if (!schedule.enabled) return 2000;
  return schedule.hour === undefined ? 1000 : schedule.hour * 60 + schedule.minute;
};

const triggerOf = ({ trigger, workflow }: FunctionDefinition): string => {
  switch (trigger.kind) {
    case 'http':
      return `HTTP \`${trigger.route.method} ${trigger.route.path}\``;
    case 'cognito':
      return `Cognito \`${trigger.event}\` trigger`;
    case 'schedule': {
      const { schedule } = trigger;
      const when =
        schedule.hour === undefined
          ? `hourly at :${twoDigits(schedule.minute)}`
          : `${isNightly(schedule) ? 'nightly' : 'daily'} at ${twoDigits(schedule.hour)}:${twoDigits(schedule.minute)}`;
      const how = workflow === undefined ? '' : ', as a sharded Step Functions workflow';
      return schedule.enabled
        ? `schedule: ${when}${how}`
        : `schedule deployed disabled (${when}): on demand only`;
    }
  }
};

/** The nightly stats job: the stats function whose schedule is switched on. */
const nightlyStats = (names: readonly FunctionName[]): FunctionName | undefined =>
  names.find((name) => {
    const { trigger } = functions[name];
    return name.startsWith('calc_') && trigger.kind === 'schedule' && isNightly(trigger.schedule);
  });

export const functionsReadme = (): string => {
  const names = [...functionNames].sort((a, b) => rank(functions[a]) - rank(functions[b]));
  const nightly = nightlyStats(names);
  const rows = names.map((name) => {
    const definition = functions[name];
    const label = name === nightly ? ' **(the nightly stats job)**' : '';
    return `| [\`${name}\`](${name}/handler.ts)${label} | ${triggerOf(definition)} | ${definition.description} |`;
  });
  return [
    '# src/functions',
    '',
    '<!-- Generated from src/catalog/functions.ts by `npm run docs:functions`; do not edit. -->',
    '',
    'One folder per deployed function: its name is the deployment identifier, so it stays',
    'as it is. Each folder holds `main.ts` (what Lambda calls) and `handler.ts` (the event',
    'into a service call). Times are in `LMS_TIMEZONE`.',
    '',
    ...(nightly === undefined
      ? []
      : [
          `**The nightly stats job is \`${nightly}\`.** The other \`calc_*_stats\` functions`,
          'count one level each and run only on demand: their schedules are deployed disabled.',
          '',
        ]),
    '| function | trigger | what it does |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(FUNCTIONS_README, functionsReadme());
  process.stdout.write(`wrote ${FUNCTIONS_README}\n`);
}
