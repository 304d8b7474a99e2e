import * as tf from '@tensorflow/tfjs';
import type { SamplerConfig } from '../../../src-shared/config';
import type { ScoreFn } from '../networks/types';
import { levelLoop, loopSteps } from './level-loop';
import type { LevelPlan } from './level-loop';
import type { SamplerCallback, SamplerContext, SamplerModel } from './types';

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
export function annealedLangevinSteps(config: Pick<AnnealedLangevinConfig, 'stepsPerLevel' | 'finalDenoise'>, sigmas: number[]): number {
  return loopSteps({ stepsPerLevel: config.stepsPerLevel, descends: false, finishes: config.finalDenoise }, sigmas.length);
}

/**
 * The Langevin steps at fixed step sizes α_i per level, then optionally Tweedie's denoising at the
 * last level: annealed Langevin with α_i = ε·σ_i²/σ_L², plain Langevin with one level and α = ε.
 */
export function langevinPlan(
  model: SamplerModel,
  alphas: number[],
  options: Pick<AnnealedLangevinConfig, 'stepsPerLevel' | 'convention' | 'finalDenoise'> & Pick<SamplerContext, 'rng'>,
  n: number,
  dim: number,
): LevelPlan {
  const noise = new Float32Array(n * dim);
  return {
    stepsPerLevel: options.stepsPerLevel,
    step: (x, level) => {
      options.rng.normals(n * dim, noise);
      return tf.tidy(() => langevinStep(x, model.score(x, level.sigmaTensor), alphas[level.i], tf.tensor2d(noise, [n, dim]), options.convention));
    },
    ...(options.finalDenoise ? { finish: (x: tf.Tensor2D, sigma: number) => tweedieDenoise(model.score, x, sigma) } : {}),
    stats: (level) => (level ? { stepSize: alphas[level.i] } : {}),
  };
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1): for each level i from σ_1 down to σ_L,
 * `stepsPerLevel` Langevin steps with step α_i = ε·σ_i²/σ_L² (langevinStepSizes), then optionally
 * one Tweedie denoising step at σ_L. Starts from x0 (left to the caller to dispose); returns the
 * final chains. `hooks.constrain` (inpainting) is applied at each level's start and after every step.
 */
export function annealedLangevin(
  model: SamplerModel,
  x0: tf.Tensor2D,
  sigmas: number[],
  options: Pick<AnnealedLangevinConfig, 'stepsPerLevel' | 'eps' | 'convention' | 'finalDenoise'> & SamplerContext,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  const [n, dim] = x0.shape;
  const alphas = langevinStepSizes(options.eps, sigmas);
  return levelLoop(model, x0, sigmas, options, (counted) => langevinPlan(counted, alphas, options, n, dim), callback);
}
