import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../common/config';
import type { NamedTensor } from '../../store/store';
import type { Rng } from '../random';
import { elu, swish } from './activations';
import { linear } from './linear';
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

/** Glorot/Xavier uniform (Glorot & Bengio 2010): U(±√(6/(fan_in + fan_out))), from the seeded stream. */
function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * limit;
  return w;
}

/** A variable holding `initial`'s values; `initial` itself is released (the variable keeps the data). */
function variableFrom(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

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

/** Columns the conditioning adds to the input: log σ, or sin and cos of log σ at K frequencies. */
function conditioningWidth(config: MlpConfig): number {
  return config.conditioning === 'concat' ? 1 : config.embeddingDim;
}

/**
 * A noise-conditional MLP: input [x, c(σ)], the hidden layers, a linear output of dimension D.
 * c(σ) is log σ ('concat') or [sin(ω_k·log σ), cos(ω_k·log σ)]_k ('sinusoidal'). With
 * `scaleBySigma`, s_θ(x, σ) = f_θ(x, σ)/σ (NCSNv2, Song & Ermon 2020, §3.3 "technique 3"), so the
 * network's own output stays O(1) at every level.
 *
 * σ may be [n, 1] (a level per row, as in training) or [1, 1] (one level for every row, as in
 * sampling). In the second case the first layer is split, x·W_x + (c(σ)·W_c + b), so the
 * conditioning is computed once rather than per row.
 */
export function createMlp(config: MlpConfig, dim: number, rng: Rng): ScoreNetwork {
  const condWidth = conditioningWidth(config);
  const widths = [dim + condWidth, ...config.hidden, dim];
  const names: string[] = [];
  const shapes: number[][] = [];
  const variables: tf.Variable[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fanIn, fanOut] = [widths[l], widths[l + 1]];
    const layer = l + 1 < widths.length - 1 ? `hidden${l}` : 'output';
    // tf.variable names are global to the tfjs engine, so the variables stay unnamed and the
    // names live here (two networks may be alive at once, e.g. in tests).
    names.push(`mlp/${layer}/kernel`, `mlp/${layer}/bias`);
    shapes.push([fanIn, fanOut], [fanOut]);
    variables.push(
      variableFrom(tf.tensor2d(glorotUniform(fanIn, fanOut, rng), [fanIn, fanOut])),
      variableFrom(tf.zeros([fanOut])),
    );
  }
  const activation = ACTIVATIONS[config.activation];
  const layers = variables.length / 2;
  const frequencies = config.conditioning === 'sinusoidal' ? tf.keep(tf.tensor2d(embeddingFrequencies(config.embeddingDim), [1, config.embeddingDim / 2])) : null;

  /** c(σ) for σ [m, 1]: [m, condWidth]. */
  const conditioning = (sigma: tf.Tensor2D): tf.Tensor2D => {
    const logSigma = tf.log(sigma) as tf.Tensor2D;
    if (!frequencies) return logSigma;
    const phase = tf.mul(logSigma, frequencies);
    return tf.concat([tf.sin(phase), tf.cos(phase)], 1) as tf.Tensor2D;
  };

  /** The first layer's pre-activation. */
  const firstLayer = (x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor2D => {
    const [w, b] = [variables[0] as tf.Tensor2D, variables[1] as tf.Tensor1D];
    if (sigma.shape[0] === x.shape[0]) return linear(tf.concat([x, conditioning(sigma)], 1) as tf.Tensor2D, w, b);
    if (sigma.shape[0] !== 1) throw new Error(`score: σ has ${sigma.shape[0]} rows for ${x.shape[0]} points (expected ${x.shape[0]} or 1)`);
    // One level for all rows: fold c(σ)·W_c + b into the bias of x·W_x. (The sum over the one row
    // makes the bias a rank-1 tensor of its own: wasm's fused kernel checks the shape its data was
    // created with, which a reshape would not change.)
    const bias = tf.add(b, tf.sum(tf.matMul(conditioning(sigma), tf.slice(w, [dim, 0], [condWidth, -1])), 0)) as tf.Tensor1D;
    return linear(x, tf.slice(w, [0, 0], [dim, -1]), bias);
  };

  return {
    variables,
    score: (x, sigma) =>
      tf.tidy(() => {
        let h = firstLayer(x, sigma);
        for (let l = 1; l < layers; l++) h = linear(activation(h), variables[2 * l] as tf.Tensor2D, variables[2 * l + 1] as tf.Tensor1D);
        return config.scaleBySigma ? tf.div(h, sigma) : h;
      }),
    getWeights: () =>
      variables.map((v, i) => ({ name: names[i], shape: [...shapes[i]], data: Float32Array.from(v.dataSync() as Float32Array) })),
    setWeights: (weights: NamedTensor[]) => {
      const byName = new Map(weights.map((w) => [w.name, w]));
      const checked = names.map((name, i) => {
        const w = byName.get(name);
        if (!w) throw new Error(`weights: missing ${name}`);
        const expected = shapes[i].reduce((a, b) => a * b, 1);
        if (w.shape.join('x') !== shapes[i].join('x') || w.data.length !== expected)
          throw new Error(`weights: ${name} has shape [${w.shape}], expected [${shapes[i]}]`);
        return w;
      });
      checked.forEach((w, i) => tf.tidy(() => variables[i].assign(tf.tensor(w.data, shapes[i]))));
    },
    dispose: () => {
      variables.forEach((v) => v.dispose());
      frequencies?.dispose();
    },
  };
}
