/** Langevin dynamics at one noise level: the unannealed baseline (Song & Ermon 2019, §3). */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../common/api';
import type { SamplerConfig } from '../../common/config';
import type { Rng } from '../random';
import { langevinStep, tweedieDenoise } from './annealed-langevin';
import { advance, constrained, samplingLevel } from './state';
import type { SamplerCallback, SamplerHooks, SamplerModel } from './types';

export type LangevinConfig = Extract<SamplerConfig, { kind: 'langevin' }>;

export function langevinSteps(config: Pick<LangevinConfig, 'steps' | 'finalDenoise'>): number {
  return config.steps + (config.finalDenoise ? 1 : 0);
}

/**
 * `steps` Langevin steps with the fixed step α = `eps` on the score at one σ (`sigma`, default the
 * schedule's smallest), then optionally Tweedie's denoising step at that σ. Without annealing,
 * chains stay in the basin they start in: mode weights are not recovered (the test shows it).
 */
export async function langevin(
  model: SamplerModel,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: Pick<LangevinConfig, 'steps' | 'eps' | 'sigma' | 'convention' | 'finalDenoise'>,
  rng: Rng,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  const [n, dim] = x0.shape;
  const { level, sigma } = samplingLevel(levels, config.sigma);
  const total = langevinSteps(config);
  const noise = new Float32Array(n * dim);
  const sigmaTensor = tf.tensor2d([[sigma]]);
  let x = constrained(tf.clone(x0), sigma, hooks);
  try {
    for (let t = 0; t < config.steps; t++) {
      rng.normals(n * dim, noise);
      const state = x;
      x = advance(x, tf.tidy(() => langevinStep(state, model.score(state, sigmaTensor), config.eps, tf.tensor2d(noise, [n, dim]), config.convention)));
      x = constrained(x, sigma, hooks);
      await callback?.({ done: t + 1, total, level, sigma, x });
    }
    if (config.finalDenoise) {
      x = advance(x, tweedieDenoise(model.score, x, sigma));
      await callback?.({ done: total, total, level: -1, sigma: 0, x });
    }
    return x;
  } catch (err) {
    x.dispose();
    throw err;
  } finally {
    sigmaTensor.dispose();
  }
}
