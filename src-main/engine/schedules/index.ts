/**
 * Noise schedules, chosen by the config's `schedule.kind`. A schedule gives the noise levels σ_i;
 * `buildSchedule` pairs each with the sampler's step α_i and the objective's weight λ(σ_i), the table
 * a run trains and samples with (and the UI shows).
 */
import type { ScheduleLevel } from '../../common/api';
import type { ExperimentConfig, ScheduleConfig } from '../../common/config';
import { lossWeight } from '../objectives';
import { samplerStepSizes } from '../samplers';
import { geometricSigmas } from './geometric';

type SigmaFns = { [K in ScheduleConfig['kind']]: (config: Extract<ScheduleConfig, { kind: K }>) => number[] };

const SCHEDULES: SigmaFns = {
  geometric: geometricSigmas,
};

/** σ_1 > … > σ_L, largest first (the order annealed sampling visits them). */
export function noiseLevels(config: ScheduleConfig): number[] {
  return SCHEDULES[config.kind](config);
}

/** Levels numbered from 0 (σ_max) to L−1 (σ_min); the per-level loss curves use the same numbers. */
export function buildSchedule(config: Pick<ExperimentConfig, 'schedule' | 'sampler' | 'objective'>): ScheduleLevel[] {
  const sigmas = noiseLevels(config.schedule);
  const alphas = samplerStepSizes(config.sampler, sigmas);
  return sigmas.map((sigma, i) => ({ level: i, sigma, alpha: alphas[i], weight: lossWeight(config.objective, sigma) }));
}
