import type { BenchContext, ScenarioResult } from '../context.ts';
import { aggregatesScenario } from './aggregates.ts';
import { apiScenario } from './api.ts';
import { coldStartScenario } from './cold-start.ts';
import { foldScenario } from './fold.ts';
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
