import type { BenchContext, ScenarioResult } from '../context.ts';
import { aggregatesScenario } from './aggregates.ts';
import { apiScenario } from './api.ts';
import { coldStartScenario } from './cold-start.ts';
import { foldScenario } from './fold.ts';
import { reviewScenario } from './review.ts';
import { shardsScenario } from './shards.ts';
import { statsScenario } from './stats.ts';

/** Every scenario, in the order the report shows them. */
export const scenarios: Record<string, (context: BenchContext) => Promise<ScenarioResult>> = {
  stats: statsScenario,
  api: apiScenario,
  aggregates: aggregatesScenario,
  shards: shardsScenario,
  fold: foldScenario,
  cold: coldStartScenario,
};

/**
 * Scenarios that need no database: run once per bench, before the engines, whatever
 * `--engine` says (their figures would be the same on every engine).
 */
export const independentScenarios: Record<
  string,
  (log: (line: string) => void) => Promise<ScenarioResult>
> = {
  review: reviewScenario,
};
