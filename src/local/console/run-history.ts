/**
 * The job runs `lms start` keeps, in its data folder (`job-runs.json`), so the console's jobs
 * view shows last night's runs after a restart too. Written whole after each finished run
 * (at most RUNS_KEPT per job, so a few kilobytes), aside and renamed, so a crash never leaves
 * half a file; a file that does not validate is set aside and the list starts empty.
 */
import { readFile, rename } from 'node:fs/promises';
import * as z from 'zod';
import { errorMessage } from '../../errors.ts';
import { writeFileAtomic } from '../../lib/atomic-write.ts';
import { finishedRunSchema, type RunHistory } from '../aws/scheduler/job-runs.ts';

const fileSchema = z.strictObject({ version: z.literal(1), runs: z.array(finishedRunSchema) });

/**
 * @example
 * ```ts
 * const history = runHistoryFile('.data/job-runs.json', console.error);
 * new LocalJobs({ ..., history });
 * ```
 */
export const runHistoryFile = (file: string, log: (line: string) => void): RunHistory => {
  // One write at a time, in the order the runs finished.
  let writing: Promise<void> = Promise.resolve();
  return {
    load: async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
        throw error;
      }
      let parsed: z.ZodSafeParseResult<z.output<typeof fileSchema>>;
      try {
        parsed = fileSchema.safeParse(JSON.parse(text));
      } catch (error) {
        parsed = fileSchema.safeParse({ invalid: errorMessage(error) });
      }
      if (parsed.success) return parsed.data.runs;
      const aside = `${file}.unreadable-${Date.now()}`;
      await rename(file, aside);
      log(`job runs: ${file} is not a run list this version writes; set aside as ${aside}`);
      return [];
    },
    save: (runs) => {
      const text = JSON.stringify({ version: 1, runs: runs.filter((r) => r.status !== 'running') });
      writing = writing
        .then(() => writeFileAtomic(file, text))
        .catch((error: unknown) => {
          // The list is a convenience: a full disk costs the history, never the run.
          log(`job runs: could not write ${file}: ${errorMessage(error)}`);
        });
      return writing;
    },
  };
};
