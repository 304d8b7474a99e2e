/** How a noise level σ is presented to a network: sin and cos of log σ at geometric frequencies. */
import * as tf from '@tensorflow/tfjs';

/**
 * Frequencies of the 'sinusoidal' embedding: K = embeddingDim/2 of them, geometric from 1 to 100
 * radians per unit of log σ. This is the transformer's position embedding (Vaswani et al. 2017,
 * §3.5: sin/cos at geometrically spaced frequencies) with its longest period, 2π, matched to
 * log σ's range of a few units rather than to positions in the thousands.
 */
export function embeddingFrequencies(embeddingDim: number): Float32Array {
  const k = embeddingDim / 2;
  return Float32Array.from({ length: k }, (_, i) => (k === 1 ? 1 : 100 ** (i / (k - 1))));
}

/**
 * The sinusoidal embedding of σ [m, 1]: [sin(ω_k·log σ), cos(ω_k·log σ)]_k, [m, 2K], for the
 * frequencies ω [1, K] of embeddingFrequencies (as a tensor the caller keeps).
 */
export function sinusoidalEmbedding(sigma: tf.Tensor2D, frequencies: tf.Tensor2D): tf.Tensor2D {
  const phase = tf.mul(tf.log(sigma), frequencies);
  return tf.concat([tf.sin(phase), tf.cos(phase)], 1) as tf.Tensor2D;
}
