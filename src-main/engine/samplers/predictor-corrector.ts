/** Predictor–corrector sampling of the variance-exploding SDE (Song et al. 2021, §4.2, Alg. 2 and 4). */
import * as tf from '@tensorflow/tfjs';
import type { SamplerConfig } from '../../../src-shared/config';
import type { Convention } from './annealed-langevin';
import { levelLoop, loopSteps } from './level-loop';
import type { LevelPlan } from './level-loop';
import type { SamplerCallback, SamplerContext, SamplerModel } from './types';

export type PredictorCorrectorConfig = Extract<SamplerConfig, { kind: 'predictor-corrector' }>;

/**
 * The reverse-diffusion predictor's variance at each level, σ_i² − σ_{i+1}² with σ_{L+1} = 0 (the
 * VE SDE's discretisation x_{i+1} = x_i + √(σ_{i+1}² − σ_i²)·z run backwards); what the schedule
 * records as this sampler's step, as the corrector's step depends on the state.
 */
export function predictorSteps(sigmas: number[]): number[] {
  return sigmas.map((sigma, i) => sigma * sigma - (i + 1 < sigmas.length ? sigmas[i + 1] ** 2 : 0));
}

export function predictorCorrectorSteps(config: Pick<PredictorCorrectorConfig, 'correctorSteps'>, sigmas: number[]): number {
  return loopSteps({ stepsPerLevel: config.correctorSteps, descends: true, finishes: false }, sigmas.length);
}

/**
 * The Langevin corrector's step from the signal-to-noise ratio r (Alg. 4): α = 2·(r·‖z‖/‖s‖)², the
 * norms averaged over the chains as the paper's code does, so every chain takes one step size.
 * Computed on the device: reading it back would stall every step. Returns a scalar.
 */
export function correctorStepSize(s: tf.Tensor2D, z: tf.Tensor2D, snr: number): tf.Scalar {
  return tf.tidy(() => {
    const ratio = tf.div(tf.mean(tf.norm(z, 'euclidean', 1)), tf.mean(tf.norm(s, 'euclidean', 1)));
    return tf.mul(2, tf.square(tf.mul(snr, ratio))) as tf.Scalar;
  });
}

/** A Langevin step whose α is a tensor: the same two conventions as langevinStep. */
function correctorStep(x: tf.Tensor2D, s: tf.Tensor2D, alpha: tf.Scalar, z: tf.Tensor2D, convention: Convention): tf.Tensor2D {
  return tf.tidy(() => {
    const drift = convention === 'half' ? tf.div(alpha, 2) : alpha;
    return tf.add(x, tf.add(tf.mul(s, drift), tf.mul(z, tf.sqrt(tf.mul(2, drift)))));
  });
}

/**
 * For each level σ_i, largest first: `correctorSteps` Langevin corrector steps at σ_i, then the
 * reverse-diffusion predictor x ← x + (σ_i² − σ_{i+1}²)·s(x, σ_i) + √(σ_i² − σ_{i+1}²)·z to the
 * next level. The last predictor goes to σ = 0; with `finalDenoise` it leaves out its noise, which
 * makes it Tweedie's x + σ_L²·s(x, σ_L) (the paper's `denoise`). Start the chains at σ_1.
 */
export function predictorCorrector(
  model: SamplerModel,
  x0: tf.Tensor2D,
  sigmas: number[],
  options: Pick<PredictorCorrectorConfig, 'snr' | 'correctorSteps' | 'convention' | 'finalDenoise'> & SamplerContext,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  const [n, dim] = x0.shape;
  const { rng } = options;
  const variances = predictorSteps(sigmas);
  const noise = new Float32Array(n * dim);
  const plan = (counted: SamplerModel): LevelPlan => ({
    stepsPerLevel: options.correctorSteps,
    step: (x, level) => {
      rng.normals(n * dim, noise);
      return tf.tidy(() => {
        const s = counted.score(x, level.sigmaTensor);
        const z = tf.tensor2d(noise, [n, dim]);
        return correctorStep(x, s, correctorStepSize(s, z, options.snr), z, options.convention);
      });
    },
    descend: (x, level) => {
      const last = level.i === sigmas.length - 1;
      const spread = last && options.finalDenoise ? 0 : Math.sqrt(variances[level.i]);
      if (spread > 0) rng.normals(n * dim, noise);
      return tf.tidy(() => {
        const mean = tf.add(x, tf.mul(counted.score(x, level.sigmaTensor), variances[level.i])) as tf.Tensor2D;
        return spread > 0 ? (tf.add(mean, tf.mul(tf.tensor2d(noise, [n, dim]), spread)) as tf.Tensor2D) : mean;
      });
    },
  });
  return levelLoop(model, x0, sigmas, options, plan, callback);
}
