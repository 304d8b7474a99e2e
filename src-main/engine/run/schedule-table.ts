/**
 * A run's schedule table: each noise level σ_i of the schedule beside the step α_i the run's
 * sampler takes there (as the sampler computes it) and the objective's loss weight λ(σ_i). What a
 * run trains with (the weights), stores, and the UI shows; the samplers read only the σ's.
 */
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ExperimentConfig } from '../../../src-shared/config';
import { lossWeight } from '../objectives';
import { samplerStepSizes } from '../samplers';
import { noiseLevels } from '../schedules';
import type { SchedulePoints } from '../schedules';

/** Levels numbered from 0 (σ_max) to L−1 (σ_min); `data` for the schedules that read it (adaptive, ncsnv2). */
export function buildSchedule(
  config: Pick<ExperimentConfig, 'seed' | 'schedule' | 'sampler' | 'objective'>,
  data?: SchedulePoints,
): ScheduleLevel[] {
  const sigmas = noiseLevels(config, data);
  const alphas = samplerStepSizes(config.sampler, sigmas);
  return sigmas.map((sigma, i) => ({ level: i, sigma, alpha: alphas[i], weight: lossWeight(config.objective, sigma) }));
}

/** The σ's of a schedule table, level i at index i: what samplers take. */
export function sigmasOf(schedule: readonly ScheduleLevel[]): number[] {
  return schedule.map((l) => l.sigma);
}
