/** Langevin dynamics at one noise level: the unannealed baseline (Song & Ermon 2019, §3). */
import type * as tf from '@tensorflow/tfjs';
import type { SamplerConfig } from '../../../src-shared/config';
import { langevinPlan } from './annealed-langevin';
import { levelLoop, loopSteps } from './level-loop';
import { samplingLevel } from './state';
import type { SamplerCallback, SamplerContext, SamplerModel } from './types';

export type LangevinConfig = Extract<SamplerConfig, { kind: 'langevin' }>;

export function langevinSteps(config: Pick<LangevinConfig, 'steps' | 'finalDenoise'>): number {
  return loopSteps({ stepsPerLevel: config.steps, descends: false, finishes: config.finalDenoise }, 1);
}

/** The fixed step α = ε, whichever σ the sampler runs at. */
export function plainLangevinStepSizes(config: Pick<LangevinConfig, 'eps'>, sigmas: number[]): number[] {
  return sigmas.map(() => config.eps);
}

/**
 * `steps` Langevin steps with the fixed step α = `eps` on the score at one σ (`sigma`, default the
 * smallest of `sigmas`), then optionally Tweedie's denoising step at that σ: annealed Langevin's
 * steps over one level. Without annealing, chains stay in the basin they start in: mode weights are
 * not recovered (the test shows it).
 */
export function langevin(
  model: SamplerModel,
  x0: tf.Tensor2D,
  sigmas: number[],
  options: Pick<LangevinConfig, 'steps' | 'eps' | 'sigma' | 'convention' | 'finalDenoise'> & SamplerContext,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  const [n, dim] = x0.shape;
  const { level, sigma } = samplingLevel(sigmas, options.sigma);
  const plan = { ...options, stepsPerLevel: options.steps };
  return levelLoop(model, x0, [sigma], { ...options, firstLevel: level }, (counted) => langevinPlan(counted, [options.eps], plan, n, dim), callback);
}
