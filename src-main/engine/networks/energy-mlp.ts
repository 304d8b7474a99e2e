import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../../src-shared/config';
import type { Rng } from '../random';
import { createMlpBody } from './mlp';
import type { ScoreNetwork } from './types';

export type EnergyMlpConfig = Extract<ModelConfig, { kind: 'energy-mlp' }>;

/**
 * An energy network: the noise-conditional MLP of mlp.ts with one output, E_θ(x, σ) = f_θ(x, σ)
 * (or f_θ/σ with `scaleBySigma`), defining p_σ(x) ∝ exp(−E_θ(x, σ)/τ). Its score and log-density
 * follow from the energy:
 *
 *   s_θ(x, σ) = −∇ₓE_θ(x, σ)/τ,      log p_σ(x) = −E_θ(x, σ)/τ + const(σ).
 *
 * The score is a reverse-mode gradient in x; an objective of the score then differentiates it
 * again in θ, a second derivative through the activations (softplus, and the custom-gradient swish
 * and elu, are right in tfjs 4.22; see activations.ts). Rows are independent, so the gradient of
 * Σ_rows E gives every row's own ∇ₓE in one backward pass.
 */
export function createEnergyMlp(config: EnergyMlpConfig, dim: number, rng: Rng): ScoreNetwork {
  const body = createMlpBody(config, dim, 1, rng);
  const tau = config.temperature;

  const energy = (x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor1D =>
    tf.tidy(() => {
      const f = body.forward(x, sigma);
      return tf.reshape(config.scaleBySigma ? tf.div(f, sigma) : f, [-1]);
    });

  return {
    ...body,
    energy,
    logDensity: (x, sigma) => tf.tidy(() => tf.div(energy(x, sigma), -tau)),
    score: (x, sigma) =>
      tf.tidy(() => {
        const gradient = tf.grad((xx) => tf.sum(energy(xx as tf.Tensor2D, sigma)))(x);
        return tf.div(gradient, -tau);
      }),
  };
}
