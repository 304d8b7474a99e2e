import type * as tf from '@tensorflow/tfjs';
import type { SamplingStats } from '../../../src-shared/api';
import type { LogDensityFn, ScoreFn } from '../networks/types';
import type { Rng } from '../random';

/** What a sampler reports after each step: progress, and the chains' current state. */
export interface SamplerProgress {
  /** Steps done / total steps of this sampler call. */
  done: number;
  total: number;
  /**
   * Index into the sampler's sigmas of the level of the step just taken (k-diffusion's `i`; −1 for
   * a final denoising step). sampleChains turns it into the schedule's level number.
   */
  level: number;
  /** The noise level the state is now at (0 after a final denoising step). */
  sigma: number;
  /** The current state [n, D]; owned by the sampler, valid only during the callback (copy to keep). */
  x: tf.Tensor2D;
  /** The sampler's running statistics (model evaluations, step size, acceptance rate). */
  stats: SamplingStats;
}

/**
 * Called after every step. May return a promise (the sampler waits for it, so the caller can yield
 * to the event loop) and may throw to abort the sampling.
 */
export type SamplerCallback = (progress: SamplerProgress) => void | Promise<void>;

/** What samplers evaluate: the score, and the log-density where the model has one (MALA, RWMH). */
export interface SamplerModel {
  score: ScoreFn;
  logDensity?: LogDensityFn;
}

/** Ways a task (inpainting) steers a sampler without the sampler knowing the task. */
export interface SamplerHooks {
  /**
   * Applied to the state whenever it reaches noise level σ (each level's start and each step), and
   * with σ = 0 to the output: inpainting puts the known coordinates back here. Returns a new tensor.
   */
  constrain?: (x: tf.Tensor2D, sigma: number) => tf.Tensor2D;
}

/**
 * What every sampler takes beside its own settings (k-diffusion's `extra_args`): the stream its
 * noise is drawn from, and the task's hooks.
 */
export interface SamplerContext {
  rng: Rng;
  hooks?: SamplerHooks;
}
