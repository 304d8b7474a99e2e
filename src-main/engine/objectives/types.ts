import type * as tf from '@tensorflow/tfjs';
import type { ScoreNetwork } from '../networks/types';
import type { Rng } from '../random';
import type { TrainingState } from '../training/state';

/**
 * What an objective sees of the model: its score, and its energy E_θ when it is an energy network
 * (contrastive divergence trains the energy itself; every other objective only the score).
 */
export type ObjectiveModel = Pick<ScoreNetwork, 'score' | 'energy'>;

/** A training objective: the loss of one batch, drawing its own randomness from the seeded stream. */
export interface Objective {
  /**
   * Per-sample losses [n] of the batch `x` [n, D] under `model`, and the schedule level each
   * sample was trained at (for the per-level curves). Differentiable w.r.t. the model's variables.
   */
  sampleLoss(model: ObjectiveModel, x: tf.Tensor2D, rng: Rng): { perSample: tf.Tensor1D; levels: Int32Array };
  /** State the objective carries from step to step (CD's replay buffer), for checkpoints; absent when none. */
  readonly state?: TrainingState;
}
