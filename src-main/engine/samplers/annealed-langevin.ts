import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../common/api';
import { samplerStepsPerChain, type SamplerConfig } from '../../common/config';
import type { ScoreFn } from '../networks/types';
import type { Rng } from '../random';
import { advance, constrained } from './state';
import type { SamplerCallback, SamplerHooks } from './types';

export type AnnealedLangevinConfig = Extract<SamplerConfig, { kind: 'annealed-langevin' }>;
export type Convention = AnnealedLangevinConfig['convention'];

/** α_i = ε·σ_i²/σ_L² (Song & Ermon 2019, Alg. 1, line 3): the step shrinks with the noise level. */
export function langevinStepSizes(eps: number, sigmas: number[]): number[] {
  const last = sigmas[sigmas.length - 1];
  return sigmas.map((sigma) => (eps * sigma * sigma) / (last * last));
}

/**
 * One Langevin step with the given noise z ~ N(0, I) (Alg. 1, line 6):
 *   'half': x ← x + (α/2)·s + √α·z     (NCSN's Alg. 1)
 *   'full': x ← x + α·s + √(2α)·z      (the same dynamics with α twice as large)
 */
export function langevinStep(x: tf.Tensor2D, s: tf.Tensor2D, alpha: number, z: tf.Tensor2D, convention: Convention): tf.Tensor2D {
  const [drift, noise] = convention === 'half' ? [alpha / 2, Math.sqrt(alpha)] : [alpha, Math.sqrt(2 * alpha)];
  return tf.tidy(() => tf.add(x, tf.add(tf.mul(s, drift), tf.mul(z, noise))));
}

/** Tweedie's formula (Efron 2011): E[x | x̃] = x̃ + σ²·∇ log q_σ(x̃), with s_θ for the score. */
export function tweedieDenoise(score: ScoreFn, x: tf.Tensor2D, sigma: number): tf.Tensor2D {
  return tf.tidy(() => tf.add(x, tf.mul(score(x, tf.tensor2d([[sigma]])), sigma * sigma)));
}

/** Number of steps annealedLangevin takes (what its progress counts to). */
export function annealedLangevinSteps(config: Pick<AnnealedLangevinConfig, 'stepsPerLevel' | 'finalDenoise'>, levels: ScheduleLevel[]): number {
  return samplerStepsPerChain({ kind: 'annealed-langevin', stepsPerLevel: config.stepsPerLevel, finalDenoise: config.finalDenoise }, levels.length);
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1): for each level i from σ_1 down to σ_L,
 * `stepsPerLevel` Langevin steps with step α_i (the levels carry α_i), then optionally one Tweedie
 * denoising step at σ_L. Starts from x0 (left to the caller to dispose); returns the final chains.
 * `hooks.constrain` (inpainting) is applied at each level's start and after every step.
 */
export async function annealedLangevin(
  score: ScoreFn,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: Pick<AnnealedLangevinConfig, 'stepsPerLevel' | 'convention' | 'finalDenoise'>,
  rng: Rng,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  const [n, dim] = x0.shape;
  const total = annealedLangevinSteps(config, levels);
  const noise = new Float32Array(n * dim);
  let x = tf.clone(x0);
  let done = 0;
  try {
    for (const level of levels) {
      x = constrained(x, level.sigma, hooks);
      // One [1, 1] σ for every chain: the network conditions on it once per step, not per chain.
      const sigma = tf.tensor2d([[level.sigma]]);
      try {
        for (let t = 0; t < config.stepsPerLevel; t++) {
          rng.normals(n * dim, noise);
          const state = x;
          x = advance(x, tf.tidy(() => langevinStep(state, score(state, sigma), level.alpha, tf.tensor2d(noise, [n, dim]), config.convention)));
          x = constrained(x, level.sigma, hooks);
          await callback?.({ done: ++done, total, level: level.level, sigma: level.sigma, x });
        }
      } finally {
        sigma.dispose();
      }
    }
    if (config.finalDenoise) {
      x = advance(x, tweedieDenoise(score, x, levels[levels.length - 1].sigma));
      await callback?.({ done: ++done, total, level: -1, sigma: 0, x });
    }
    return x;
  } catch (err) {
    x.dispose();
    throw err;
  }
}
