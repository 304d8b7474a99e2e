/**
 * Noise schedules, chosen by the config's `schedule.kind`. A schedule gives the noise levels σ_i and
 * nothing else: each sampler computes its own steps from them, the objective its own weights
 * (run/schedule-table.ts puts the three side by side for the store and the UI).
 */
import type { ExperimentConfig, ScheduleConfig } from '../../../src-shared/config';
import type { Dataset } from '../data';
import { createRng } from '../random';
import type { Rng } from '../random';
import { adaptiveSigmas } from './adaptive';
import { ncsnv2Sigmas } from './ncsnv2';
import { spacedLevels } from './spacings';

/** The training points, for the schedules that take their range from the data. */
export type SchedulePoints = Pick<Dataset, 'points' | 'n' | 'dim'>;

/** What a schedule may draw on besides its config: the data, and a stream for subsampling it. */
interface ScheduleContext {
  data: SchedulePoints | undefined;
  rng: Rng;
}

type SigmaFns = { [K in ScheduleConfig['kind']]: (config: Extract<ScheduleConfig, { kind: K }>, ctx: ScheduleContext) => number[] };

function needData(ctx: ScheduleContext, kind: string): SchedulePoints {
  if (!ctx.data) throw new Error(`schedule.kind '${kind}' takes its levels from the training data, and none was given`);
  return ctx.data;
}

const SCHEDULES: SigmaFns = {
  geometric: (c) => spacedLevels('geometric', c.sigmaMax, c.sigmaMin, c.levels),
  linear: (c) => spacedLevels('linear', c.sigmaMax, c.sigmaMin, c.levels),
  quadratic: (c) => spacedLevels('quadratic', c.sigmaMax, c.sigmaMin, c.levels),
  cosine: (c) => spacedLevels('cosine', c.sigmaMax, c.sigmaMin, c.levels),
  adaptive: (c, ctx) => adaptiveSigmas(c, needData(ctx, c.kind), ctx.rng),
  ncsnv2: (c, ctx) => ncsnv2Sigmas(c, needData(ctx, c.kind), ctx.rng),
};

/**
 * The noise levels σ_0 = σ_max > … > σ_{L−1} = σ_min, level i at index i: the order annealed
 * sampling visits them; the per-level loss curves use the same numbers. `data` is needed by the
 * kinds that read it (adaptive, ncsnv2), which subsample it with the run's seed.
 */
export function noiseLevels(config: Pick<ExperimentConfig, 'seed' | 'schedule'>, data?: SchedulePoints): number[] {
  const sigmasOf = SCHEDULES[config.schedule.kind] as (c: ScheduleConfig, ctx: ScheduleContext) => number[];
  return sigmasOf(config.schedule, { data, rng: createRng(config.seed, 'schedule') });
}
