/** Predictor–corrector sampling of the variance-exploding SDE (Song et al. 2021, §4.2, Alg. 2 and 4). */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../common/api';
import { samplerStepsPerChain, type SamplerConfig } from '../../common/config';
import type { Rng } from '../random';
import type { Convention } from './annealed-langevin';
import { advance, constrained } from './state';
import type { SamplerCallback, SamplerHooks, SamplerModel } from './types';

export type PredictorCorrectorConfig = Extract<SamplerConfig, { kind: 'predictor-corrector' }>;

/**
 * The reverse-diffusion predictor's variance at each level, σ_i² − σ_{i+1}² with σ_{L+1} = 0 (the
 * VE SDE's discretisation x_{i+1} = x_i + √(σ_{i+1}² − σ_i²)·z run backwards); what the schedule
 * records as this sampler's step, as the corrector's step depends on the state.
 */
export function predictorSteps(sigmas: number[]): number[] {
  return sigmas.map((sigma, i) => sigma * sigma - (i + 1 < sigmas.length ? sigmas[i + 1] ** 2 : 0));
}

export function predictorCorrectorSteps(config: Pick<PredictorCorrectorConfig, 'correctorSteps'>, levels: ScheduleLevel[]): number {
  return samplerStepsPerChain({ kind: 'predictor-corrector', correctorSteps: config.correctorSteps }, levels.length);
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
export async function predictorCorrector(
  model: SamplerModel,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: Pick<PredictorCorrectorConfig, 'snr' | 'correctorSteps' | 'convention' | 'finalDenoise'>,
  rng: Rng,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  const [n, dim] = x0.shape;
  const total = predictorCorrectorSteps(config, levels);
  const variances = predictorSteps(levels.map((l) => l.sigma));
  const noise = new Float32Array(n * dim);
  let x = tf.clone(x0);
  let done = 0;
  try {
    for (const [i, level] of levels.entries()) {
      x = constrained(x, level.sigma, hooks);
      const sigma = tf.tensor2d([[level.sigma]]);
      try {
        for (let t = 0; t < config.correctorSteps; t++) {
          rng.normals(n * dim, noise);
          const state = x;
          x = advance(
            x,
            tf.tidy(() => {
              const s = model.score(state, sigma);
              const z = tf.tensor2d(noise, [n, dim]);
              return correctorStep(state, s, correctorStepSize(s, z, config.snr), z, config.convention);
            }),
          );
          x = constrained(x, level.sigma, hooks);
          await callback?.({ done: ++done, total, level: level.level, sigma: level.sigma, x });
        }
        const last = i === levels.length - 1;
        const next = last ? 0 : levels[i + 1].sigma;
        const spread = last && config.finalDenoise ? 0 : Math.sqrt(variances[i]);
        if (spread > 0) rng.normals(n * dim, noise);
        const state = x;
        x = advance(
          x,
          tf.tidy(() => {
            const mean = tf.add(state, tf.mul(model.score(state, sigma), variances[i])) as tf.Tensor2D;
            return spread > 0 ? (tf.add(mean, tf.mul(tf.tensor2d(noise, [n, dim]), spread)) as tf.Tensor2D) : mean;
          }),
        );
        if (!last) x = constrained(x, next, hooks);
        await callback?.({ done: ++done, total, level: last ? -1 : level.level, sigma: next, x });
      } finally {
        sigma.dispose();
      }
    }
    return x;
  } catch (err) {
    x.dispose();
    throw err;
  }
}
