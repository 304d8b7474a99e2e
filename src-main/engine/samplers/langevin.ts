/** Langevin dynamics at one noise level: the unannealed baseline (Song & Ermon 2019, §3). */
import type * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../common/api';
import { samplerStepsPerChain, type SamplerConfig } from '../../common/config';
import type { Rng } from '../random';
import { annealedLangevin } from './annealed-langevin';
import { samplingLevel } from './state';
import type { SamplerCallback, SamplerHooks, SamplerModel } from './types';

export type LangevinConfig = Extract<SamplerConfig, { kind: 'langevin' }>;

export function langevinSteps(config: Pick<LangevinConfig, 'steps' | 'finalDenoise'>): number {
  return samplerStepsPerChain({ kind: 'langevin', steps: config.steps, finalDenoise: config.finalDenoise }, 1);
}

/**
 * `steps` Langevin steps with the fixed step α = `eps` on the score at one σ (`sigma`, default the
 * schedule's smallest), then optionally Tweedie's denoising step at that σ. Without annealing,
 * chains stay in the basin they start in: mode weights are not recovered (the test shows it).
 */
export function langevin(
  model: SamplerModel,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: Pick<LangevinConfig, 'steps' | 'eps' | 'sigma' | 'convention' | 'finalDenoise'>,
  rng: Rng,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  // Annealed Langevin over one level, with the fixed step α = eps: the same steps, noise draws,
  // constraints, callbacks and final denoising. The level's weight λ is not used by the sampler.
  const { level, sigma } = samplingLevel(levels, config.sigma);
  const only: ScheduleLevel = { level, sigma, alpha: config.eps, weight: levels.find((l) => l.level === level)!.weight };
  return annealedLangevin(model.score, x0, [only], { ...config, stepsPerLevel: config.steps }, rng, callback, hooks);
}
