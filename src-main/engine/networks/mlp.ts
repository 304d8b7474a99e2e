import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../../src-shared/config';
import type { NamedTensor } from '../types';
import type { Rng } from '../random';
import { elu, swish } from './activations';
import { linear } from './linear';
import { NamedWeights } from './named-weights';
import { embeddingFrequencies, sinusoidalEmbedding } from './sigma-embedding';
import type { ScoreNetwork } from './types';

export type MlpConfig = Extract<ModelConfig, { kind: 'mlp' }>;
type Activation = MlpConfig['activation'];

/**
 * The hidden nonlinearities. Each has a gradient that is itself differentiable in tfjs 4.22 (swish
 * and elu need their own gradients for that: see activations.ts), so objectives that differentiate
 * the score's Jacobian can reuse them.
 */
const ACTIVATIONS: Record<Activation, (h: tf.Tensor2D) => tf.Tensor2D> = {
  softplus: (h) => tf.softplus(h),
  swish,
  elu,
  relu: (h) => tf.relu(h),
};

/** Columns the conditioning adds to the input: log σ, or sin and cos of log σ at K frequencies; none for FiLM. */
function conditioningWidth(config: MlpBodyConfig): number {
  return { concat: 1, sinusoidal: config.embeddingDim, film: 0 }[config.conditioning];
}

/** The MLP's architecture fields, shared by the score MLP and the energy MLP. */
export type MlpBodyConfig = Pick<MlpConfig, 'hidden' | 'activation' | 'conditioning' | 'embeddingDim' | 'init'>;

/** A noise-conditional MLP f_θ(x, σ) with its weights: what the score and energy networks are built on. */
export type MlpBody = Omit<ScoreNetwork, 'score' | 'logDensity'> & {
  /** f_θ(x, σ), [n, outputDim]: the hidden layers and the linear output, before any σ scaling. */
  forward(x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor2D;
};

/**
 * A noise-conditional MLP: input [x, c(σ)], the hidden layers, a linear output of dimension D.
 * c(σ) is log σ ('concat') or [sin(ω_k·log σ), cos(ω_k·log σ)]_k ('sinusoidal'). With 'film' the
 * input is x alone, and each hidden layer's pre-activation h is modulated before its activation,
 * h ← (1 + γ_l(σ))⊙h + β_l(σ), where γ_l = e(σ)·W_l^γ + b_l^γ, β_l = e(σ)·W_l^β + b_l^β, e(σ) the
 * sinusoidal embedding (FiLM, Perez et al. 2018; in the 1 + γ form zero weights leave h as it is). With
 * `scaleBySigma`, s_θ(x, σ) = f_θ(x, σ)/σ (NCSNv2, Song & Ermon 2020, §3.3 "technique 3"), so the
 * network's own output stays O(1) at every level.
 *
 * σ may be [n, 1] (a level per row, as in training) or [1, 1] (one level for every row, as in
 * sampling). In the second case the first layer is split, x·W_x + (c(σ)·W_c + b), so the
 * conditioning is computed once rather than per row.
 */
export function createMlp(config: MlpConfig, dim: number, rng: Rng): ScoreNetwork {
  const body = createMlpBody(config, dim, dim, rng);
  return {
    ...body,
    score: (x, sigma) =>
      tf.tidy(() => {
        const h = body.forward(x, sigma);
        return config.scaleBySigma ? tf.div(h, sigma) : h;
      }),
  };
}

/** The MLP f_θ(x, σ) of createMlp for data of dimension `dim`, with an output of `outputDim` columns. */
export function createMlpBody(config: MlpBodyConfig, dim: number, outputDim: number, rng: Rng): MlpBody {
  const condWidth = conditioningWidth(config);
  const widths = [dim + condWidth, ...config.hidden, outputDim];
  const weights = new NamedWeights();
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fanIn, fanOut] = [widths[l], widths[l + 1]];
    const layer = l + 1 < widths.length - 1 ? `hidden${l}` : 'output';
    weights.dense(`mlp/${layer}`, fanIn, fanOut, config.init, rng);
  }
  const { variables } = weights;
  const activation = ACTIVATIONS[config.activation];
  const layers = variables.length / 2;
  const film = config.conditioning === 'film';
  // FiLM's generators: per hidden layer, affine maps from the embedding to γ_l ('scale') and β_l
  // ('shift'), drawn after the dense layers (initialised like them: σ shapes the features from the
  // first step). Separate variables rather than one [embeddingDim, 2·width] map split in two: on
  // wasm the slices (and their gradients) cost as much as the products.
  if (film)
    config.hidden.forEach((width, l) => {
      for (const part of ['scale', 'shift']) weights.dense(`mlp/hidden${l}/film/${part}`, config.embeddingDim, width, config.init, rng);
    });
  const frequencies =
    config.conditioning === 'concat' ? null : tf.keep(tf.tensor2d(embeddingFrequencies(config.embeddingDim), [1, config.embeddingDim / 2]));

  /** c(σ) for σ [m, 1]: log σ [m, 1] ('concat'), else the sinusoidal embedding [m, embeddingDim]. */
  const conditioning = (sigma: tf.Tensor2D): tf.Tensor2D =>
    frequencies ? sinusoidalEmbedding(sigma, frequencies) : (tf.log(sigma) as tf.Tensor2D);

  /** The first layer's pre-activation. */
  const firstLayer = (x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor2D => {
    const [w, b] = [variables[0] as tf.Tensor2D, variables[1] as tf.Tensor1D];
    if (sigma.shape[0] !== x.shape[0] && sigma.shape[0] !== 1)
      throw new Error(`score: σ has ${sigma.shape[0]} rows for ${x.shape[0]} points (expected ${x.shape[0]} or 1)`);
    if (film) return linear(x, w, b);
    if (sigma.shape[0] === x.shape[0]) return linear(tf.concat([x, conditioning(sigma)], 1) as tf.Tensor2D, w, b);
    // One level for all rows: fold c(σ)·W_c + b into the bias of x·W_x. (The sum over the one row
    // makes the bias a rank-1 tensor of its own: wasm's fused kernel checks the shape its data was
    // created with, which a reshape would not change.)
    const bias = tf.add(b, tf.sum(tf.matMul(conditioning(sigma), tf.slice(w, [dim, 0], [condWidth, -1])), 0)) as tf.Tensor1D;
    return linear(x, tf.slice(w, [0, 0], [dim, -1]), bias);
  };

  /**
   * Hidden layer l's pre-activation h modulated by FiLM: (1 + γ_l)⊙h + β_l from the embedding e
   * ([n or 1, embeddingDim]; one row broadcasts over all points).
   */
  const modulate = (h: tf.Tensor2D, l: number, e: tf.Tensor2D): tf.Tensor2D => {
    const [wGamma, bGamma, wBeta, bBeta] = variables.slice(2 * layers + 4 * l, 2 * layers + 4 * l + 4);
    // The 1 of 1 + γ joins γ's bias, a vector, rather than being added to the [n, width] product.
    const scale = linear(e, wGamma as tf.Tensor2D, tf.add(bGamma, 1) as tf.Tensor1D);
    return tf.add(tf.mul(h, scale), linear(e, wBeta as tf.Tensor2D, bBeta as tf.Tensor1D)) as tf.Tensor2D;
  };

  return {
    variables,
    forward: (x, sigma) =>
      tf.tidy(() => {
        let h = firstLayer(x, sigma);
        const e = film ? conditioning(sigma) : null;
        for (let l = 1; l < layers; l++) {
          if (e) h = modulate(h, l - 1, e);
          h = linear(activation(h), variables[2 * l] as tf.Tensor2D, variables[2 * l + 1] as tf.Tensor1D);
        }
        return h;
      }),
    weightNames: weights.names,
    getWeights: () => weights.get(),
    setWeights: (w: NamedTensor[]) => weights.set(w),
    dispose: () => {
      weights.dispose();
      frequencies?.dispose();
    },
  };
}
