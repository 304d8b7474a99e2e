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
 * A noise-conditional MLP: input [x, log σ] (conditioning 'concat'), the hidden layers, a linear
 * output of dimension D. With `scaleBySigma`, s_θ(x, σ) = f_θ(x, σ)/σ (NCSNv2, Song & Ermon 2020,
 * §3.3 "technique 3"), so the network's own output stays O(1) at every level.
 */
export function createMlp(config: MlpConfig, dim: number, rng: Rng): ScoreNetwork {
  const widths = [dim + 1, ...config.hidden, dim];
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

  return {
    variables,
    score: (x, sigma) =>
      tf.tidy(() => {
        let h = tf.concat([x, tf.log(sigma)], 1) as tf.Tensor2D;
        for (let l = 0; l < layers; l++) {
          const z = linear(h, variables[2 * l] as tf.Tensor2D, variables[2 * l + 1] as tf.Tensor1D);
          h = l < layers - 1 ? activation(z) : z;
        }
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
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}
