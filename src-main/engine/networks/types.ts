import type * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../types';

/**
 * s_θ(x, σ): the score of the σ-perturbed data density at x. `x` is [n, D]; `sigma` is [n, 1], one
 * noise level per row, or [1, 1], one level for every row (samplers: the network can then condition
 * once rather than per row). Call inside tf.tidy (or a gradient tape); the result belongs to the caller.
 */
export type ScoreFn = (x: tf.Tensor2D, sigma: tf.Tensor2D) => tf.Tensor2D;

/**
 * log p_σ(x) up to a constant that may depend on σ but not on x, [n]: what Metropolis corrections
 * need. Energy networks (−E_θ/τ) and analytic targets have one; a plain score network does not.
 */
export type LogDensityFn = (x: tf.Tensor2D, sigma: tf.Tensor2D) => tf.Tensor1D;

/**
 * E_θ(x, σ), [n]: an energy network's energy, before its temperature τ (p_σ ∝ exp(−E_θ/τ)).
 * Contrastive divergence trains it directly; everything else uses the score −∇ₓE_θ/τ.
 */
export type EnergyFn = (x: tf.Tensor2D, sigma: tf.Tensor2D) => tf.Tensor1D;

/** A trainable noise-conditional score model, built from tf.variable weights. */
export interface ScoreNetwork {
  score: ScoreFn;
  /** Present when the model defines a density (energy networks, analytic targets). */
  logDensity?: LogDensityFn;
  /** Present on energy networks only. */
  energy?: EnergyFn;
  /** Every trainable variable, in the network's own order (the order getWeights uses). */
  readonly variables: tf.Variable[];
  /** The weights' names, in order (what getWeights names them, without reading them back). */
  readonly weightNames: readonly string[];
  /** Copies of the weights, named and in order. */
  getWeights(): Promise<NamedTensor[]>;
  /** Loads weights saved by getWeights; throws naming the first missing or mis-shaped tensor. */
  setWeights(weights: NamedTensor[]): void;
  dispose(): void;
}
