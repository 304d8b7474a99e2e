import type * as tf from '@tensorflow/tfjs';

/** What a sampler reports after each step: progress, and the chains' current state. */
export interface SamplerProgress {
  /** Steps done / total steps of this sampler call. */
  done: number;
  total: number;
  /** Schedule level of the step just taken (−1 for a final denoising step). */
  level: number;
  /** The current state [n, D]; owned by the sampler, valid only during the callback (copy to keep). */
  x: tf.Tensor2D;
}

/**
 * Called after every step. May return a promise (the sampler waits for it, so the caller can yield
 * to the event loop) and may throw to abort the sampling.
 */
export type SamplerCallback = (progress: SamplerProgress) => void | Promise<void>;
