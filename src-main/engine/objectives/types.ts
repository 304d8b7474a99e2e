import type * as tf from '@tensorflow/tfjs';
import type { ScoreFn } from '../networks/types';
import type { Rng } from '../random';

/** A training objective: the loss of one batch, drawing its own randomness from the seeded stream. */
export interface Objective {
  /**
   * Per-sample losses [n] of the batch `x` [n, D] under `score`, and the schedule level each
   * sample was trained at (for the per-level curves). Differentiable w.r.t. the score's variables.
   */
  sampleLoss(score: ScoreFn, x: tf.Tensor2D, rng: Rng): { perSample: tf.Tensor1D; levels: Int32Array };
}
