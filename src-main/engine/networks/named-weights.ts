import * as tf from '@tensorflow/tfjs';
import type { DenseInit } from '../../../src-shared/config';
import type { NamedTensor } from '../types';
import type { Rng } from '../random';

/** `count` values U(±limit) from the seeded stream. */
function uniformValues(count: number, limit: number, rng: Rng): Float32Array {
  const w = new Float32Array(count);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * limit;
  return w;
}

/** Glorot/Xavier uniform (Glorot & Bengio 2010): U(±√(6/(fan_in + fan_out))), from the seeded stream. */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)), rng);
}

/**
 * PyTorch's nn.Linear initialisation (reset_parameters: kaiming_uniform with a = √5 for the weight,
 * whose bound gain·√(3/fan_in) with gain √(2/(1 + a²)) is 1/√fan_in, and the same bound for the
 * bias): `count` values U(±1/√fan_in), from the seeded stream.
 */
export function pytorchUniform(fanIn: number, count: number, rng: Rng): Float32Array {
  return uniformValues(count, 1 / Math.sqrt(fanIn), rng);
}

/** A variable holding `initial`'s values; `initial` itself is released (the variable keeps the data). */
export function variableFrom(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

/**
 * A copy of `tensor`'s values under `name`. Read with await: a GPU backend (WebGPU) has no synchronous
 * read in Node, so the engine never uses dataSync (an ESLint rule keeps it so).
 */
export async function readNamedTensor(name: string, tensor: tf.Tensor): Promise<NamedTensor> {
  return { name, shape: [...tensor.shape], data: Float32Array.from(await tensor.data()) };
}

/**
 * A network's trainable variables with their names and shapes. tf.variable names are global to
 * the tfjs engine, so the variables stay unnamed and the names live here (two networks may be
 * alive at once, e.g. in tests).
 */
export class NamedWeights {
  readonly variables: tf.Variable[] = [];
  readonly names: string[] = [];
  private readonly shapes: number[][] = [];

  /** Adds a variable holding `initial` (which is released); returns it. */
  add(name: string, initial: tf.Tensor): tf.Variable {
    const v = variableFrom(initial);
    this.names.push(name);
    this.shapes.push([...initial.shape]);
    this.variables.push(v);
    return v;
  }

  /** A Glorot-uniform kernel of `shape` whose fans are fanIn and fanOut (a conv's include its window). */
  glorot(name: string, shape: number[], fanIn: number, fanOut: number, rng: Rng): tf.Variable {
    const values = glorotUniform(fanIn, fanOut, rng);
    return this.add(name, tf.tensor(values.subarray(0, shape.reduce((a, b) => a * b, 1)), shape));
  }

  /**
   * A dense layer x·W + b: `${prefix}/kernel` [fanIn, fanOut] and `${prefix}/bias` [fanOut], drawn in
   * that order. 'pytorch' draws both U(±1/√fan_in) (nn.Linear's default); 'glorot' draws the kernel
   * Glorot-uniform and zeroes the bias (Keras's default).
   */
  dense(prefix: string, fanIn: number, fanOut: number, init: DenseInit, rng: Rng): void {
    if (init === 'glorot') {
      this.glorot(`${prefix}/kernel`, [fanIn, fanOut], fanIn, fanOut, rng);
      this.zeros(`${prefix}/bias`, [fanOut]);
    } else {
      this.add(`${prefix}/kernel`, tf.tensor2d(pytorchUniform(fanIn, fanIn * fanOut, rng), [fanIn, fanOut]));
      this.add(`${prefix}/bias`, tf.tensor1d(pytorchUniform(fanIn, fanOut, rng)));
    }
  }

  zeros(name: string, shape: number[]): tf.Variable {
    return this.add(name, tf.zeros(shape));
  }

  /** Copies of the weights, named and in order. */
  get(): Promise<NamedTensor[]> {
    return Promise.all(this.variables.map((v, i) => readNamedTensor(this.names[i], v)));
  }

  /** Loads weights saved by get(); throws naming the first missing or mis-shaped tensor, before changing any. */
  set(weights: NamedTensor[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    const checked = this.names.map((name, i) => {
      const w = byName.get(name);
      if (!w) throw new Error(`weights: missing ${name}`);
      const expected = this.shapes[i].reduce((a, b) => a * b, 1);
      if (w.shape.join('x') !== this.shapes[i].join('x') || w.data.length !== expected)
        throw new Error(`weights: ${name} has shape [${w.shape}], expected [${this.shapes[i]}]`);
      return w;
    });
    checked.forEach((w, i) => tf.tidy(() => this.variables[i].assign(tf.tensor(w.data, this.shapes[i]))));
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}
