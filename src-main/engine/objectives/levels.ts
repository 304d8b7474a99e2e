import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ObjectiveConfig } from '../../../src-shared/config';
import type { Rng } from '../random';
import type { TrainingState } from '../training/state';
import type { Objective, ObjectiveModel } from './types';

export type Weighting = ObjectiveConfig['weighting'];

/** λ(σ), the weight of level σ in Σ_i λ(σ_i)·ℓ(σ_i); 'sigma2' (λ = σ²) is NCSN's choice, making each level's loss O(1). */
export function levelWeight(weighting: Weighting, sigma: number): number {
  switch (weighting) {
    case 'sigma2':
      return sigma * sigma;
    case 'sigma':
      return sigma;
    case 'one':
      return 1;
  }
}

/** One batch at its drawn levels: the clean points x [n, D], each row's level and σ [n, 1], and noise z [n, D]. */
export interface LevelBatch {
  x: tf.Tensor2D;
  level: Int32Array;
  sigma: tf.Tensor2D;
  z: tf.Tensor2D;
}

/** x̃ = x + σ·z: a sample of the perturbed density p_σ = p ∗ N(0, σ²I) for each row. */
export function perturbed(batch: LevelBatch): tf.Tensor2D {
  return tf.add(batch.x, tf.mul(batch.sigma, batch.z));
}

/**
 * The per-row loss of one level's objective, before its weight λ(σ): the estimator of each
 * objective. It may draw more randomness (projections, negatives) from `rng`, after the levels and
 * the noise.
 */
export type LevelEstimator = (model: ObjectiveModel, batch: LevelBatch, rng: Rng) => tf.Tensor1D;

/**
 * The multi-scale objective Σ_i λ(σ_i)·ℓ(σ_i) of NCSN (Song & Ermon 2019, eq. 2) for any per-level
 * estimator ℓ: every sample of a batch gets a level i drawn uniformly from the schedule and its own
 * noise z, both from the seeded stream (the levels first, then the noise, row by row). Each sample's
 * loss is λ(σ_i)·ℓ, and its level is reported for the per-level curves.
 */
export function perLevelObjective(levels: ScheduleLevel[], estimate: LevelEstimator, state?: TrainingState): Objective {
  const count = levels.length;
  return {
    state,
    sampleLoss(model, x, rng) {
      const [n, dim] = x.shape;
      const level = new Int32Array(n);
      const sigma = new Float32Array(n);
      const weight = new Float32Array(n);
      for (let j = 0; j < n; j++) {
        const i = rng.int(count);
        level[j] = i;
        sigma[j] = levels[i].sigma;
        weight[j] = levels[i].weight;
      }
      const z = rng.normals(n * dim);
      const perSample = tf.tidy(() => {
        const batch: LevelBatch = { x, level, sigma: tf.tensor2d(sigma, [n, 1]), z: tf.tensor2d(z, [n, dim]) };
        return tf.mul(tf.tensor1d(weight), estimate(model, batch, rng)) as tf.Tensor1D;
      });
      return { perSample, levels: level };
    },
  };
}
