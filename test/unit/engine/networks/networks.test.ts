import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExperimentConfig, requireExperimentConfig } from '../../../../src-shared/config';
import { createNetwork } from '../../../../src-main/engine/networks';
import { embeddingFrequencies } from '../../../../src-main/engine/networks/sigma-embedding';
import { linearForms } from '../../../../src-main/engine/networks/linear';
import { createRng } from '../../../../src-main/engine/random';
import type { NamedTensor } from '../../../../src-main/engine/types';
import { assertAllClose, assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

type Activation = 'softplus' | 'swish' | 'elu' | 'relu';
const mlp = (hidden: number[], activation: Activation = 'softplus', scaleBySigma = true) =>
  requireExperimentConfig({ model: { kind: 'mlp', hidden, activation, scaleBySigma } }).model;

const tensor = (name: string, shape: number[], values: number[]): NamedTensor => ({ name, shape, data: Float32Array.from(values) });

/**
 * A one-unit MLP on 2-D data wired by hand: the hidden unit reads only the log σ input, the
 * output copies it to the first coordinate. So s(x, σ) = (act(log σ), 0), or that over σ.
 */
function logSigmaProbe(activation: Activation, scaleBySigma: boolean) {
  const net = createNetwork(mlp([1], activation, scaleBySigma), 2, createRng(0, 'w'));
  net.setWeights([
    tensor('mlp/hidden0/kernel', [3, 1], [0, 0, 1]),
    tensor('mlp/hidden0/bias', [1], [0]),
    tensor('mlp/output/kernel', [1, 2], [1, 0]),
    tensor('mlp/output/bias', [2], [0, 0]),
  ]);
  return net;
}

const ACTIVATION_FORMULAS: Record<Activation, (t: number) => number> = {
  softplus: (t) => Math.log(1 + Math.exp(t)),
  swish: (t) => t / (1 + Math.exp(-t)),
  elu: (t) => (t > 0 ? t : Math.exp(t) - 1),
  relu: (t) => Math.max(0, t),
};

for (const activation of Object.keys(ACTIVATION_FORMULAS) as Activation[]) {
  test(`the MLP sees [x, log σ] and applies ${activation} in its hidden layers`, () => {
    const net = logSigmaProbe(activation, false);
    for (const t of [-0.5, 1.2]) {
      const out = tf.tidy(() => net.score(tf.tensor2d([[2, 3]]), tf.tensor2d([[Math.exp(t)]])).arraySync()[0]);
      assertAllClose(out, [ACTIVATION_FORMULAS[activation](t), 0], 1e-5, `s at log σ = ${t}`);
    }
    net.dispose();
  });
}

test('with scaleBySigma the score is the network output divided by σ', () => {
  const scaled = logSigmaProbe('softplus', true);
  const out = tf.tidy(() => scaled.score(tf.tensor2d([[0, 0], [0, 0]]), tf.tensor2d([[Math.exp(1)], [2]])).arraySync());
  assertClose(out[0][0], Math.log(1 + Math.E) / Math.E, 1e-5, 's at σ = e');
  assertClose(out[1][0], Math.log(1 + 2) / 2, 1e-5, 's at σ = 2'); // softplus(log 2) = log 3
  scaled.dispose();
});

test('a network maps [n, D] points and [n, 1] levels to [n, D] scores, for any D', async () => {
  const net = createNetwork(mlp([8, 8]), 5, createRng(1, 'w'));
  const shape = tf.tidy(() => net.score(tf.ones([4, 5]) as tf.Tensor2D, tf.fill([4, 1], 0.3) as tf.Tensor2D).shape);
  assert.deepEqual(shape, [4, 5]);
  assert.deepEqual((await net.getWeights()).map((w) => `${w.name}:${w.shape}`), [
    'mlp/hidden0/kernel:6,8',
    'mlp/hidden0/bias:8',
    'mlp/hidden1/kernel:8,8',
    'mlp/hidden1/bias:8',
    'mlp/output/kernel:8,5',
    'mlp/output/bias:5',
  ]);
  net.dispose();
});

/** Every value within ±limit, with the variance of U(−limit, limit), limit²/3, within 30%. */
function assertUniform(values: Float32Array, limit: number, what: string): void {
  assert.ok(values.every((v) => Math.abs(v) <= limit), `${what} within ±${limit}`);
  const variance = values.reduce((a, v) => a + v * v, 0) / values.length;
  assertClose(variance, (limit * limit) / 3, 0.3 * ((limit * limit) / 3), `${what} variance`);
}

test("by default (init 'pytorch') every kernel and bias is U(±1/√fan_in), nn.Linear's default, drawn from the seed", async () => {
  const config = mlp([64, 64]);
  assert.equal(config.kind === 'mlp' && config.init, 'pytorch');
  const weights = await createNetwork(config, 2, createRng(5, 'w')).getWeights();
  // Fans in: 3 (x and log σ), then 64, 64.
  for (const [l, fanIn] of [3, 64, 64].entries()) {
    const [kernel, bias] = [weights[2 * l], weights[2 * l + 1]];
    assertUniform(kernel.data, 1 / Math.sqrt(fanIn), kernel.name);
    // The output's bias has 2 values, too few for a variance: its range, and that it is drawn.
    assert.ok(bias.data.every((v) => v !== 0 && Math.abs(v) <= 1 / Math.sqrt(fanIn)), bias.name);
  }
  assertUniform(weights[3].data, 1 / Math.sqrt(64), 'mlp/hidden1/bias');
  assert.deepEqual(await createNetwork(config, 2, createRng(5, 'w')).getWeights(), weights, 'same seed, same weights');
});

test("with init 'glorot' kernels are Glorot-uniform, drawn from the seed, with zero biases", async () => {
  const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [64], init: 'glorot' } }).model;
  const weights = await createNetwork(config, 2, createRng(5, 'w')).getWeights();
  const [kernel, bias] = weights;
  assertUniform(kernel.data, Math.sqrt(6 / (3 + 64)), 'kernel');
  assert.ok(bias.data.every((v) => v === 0));
  assert.deepEqual(await createNetwork(config, 2, createRng(5, 'w')).getWeights(), weights, 'same seed, same weights');
});

test('weights round-trip through getWeights/setWeights, and getWeights hands out copies', async () => {
  const a = createNetwork(mlp([4]), 2, createRng(1, 'w'));
  const b = createNetwork(mlp([4]), 2, createRng(2, 'w'));
  const saved = await a.getWeights();
  b.setWeights(saved);
  const x = () => tf.tensor2d([[0.3, -1]]);
  const sigma = () => tf.tensor2d([[0.7]]);
  assert.deepEqual(tf.tidy(() => b.score(x(), sigma()).arraySync()), tf.tidy(() => a.score(x(), sigma()).arraySync()));
  saved[0].data.fill(0);
  assert.notDeepEqual((await a.getWeights())[0].data, saved[0].data);
  a.dispose();
  b.dispose();
});

test('setWeights refuses missing or mis-shaped tensors, naming them', async () => {
  const net = createNetwork(mlp([4]), 2, createRng(1, 'w'));
  const weights = await net.getWeights();
  assert.throws(() => net.setWeights(weights.slice(1)), /missing mlp\/hidden0\/kernel/);
  const wrong = weights.map((w) => (w.name === 'mlp/output/bias' ? tensor(w.name, [3], [0, 0, 0]) : w));
  assert.throws(() => net.setWeights(wrong), /mlp\/output\/bias has shape \[3\], expected \[2\]/);
  net.dispose();
});

for (const [form, linear] of Object.entries(linearForms)) {
  test(`linear (${form}): value x·W + b and gradients of Σ(x·W + b)² in closed form`, () => {
    // y = xW + b; f = Σy²: ∂f/∂x = 2yWᵀ, ∂f/∂W = 2xᵀy, ∂f/∂b = 2·Σ_rows y.
    const xv = [[1, 2], [-1, 0.5]];
    const wv = [[0.5, -1, 2], [1, 0, -0.5]];
    const bv = [0.1, 0.2, -0.3];
    const y = xv.map((row) => bv.map((bj, j) => bj + row[0] * wv[0][j] + row[1] * wv[1][j]));
    const [value, gx, gw, gb] = tf.tidy(() => {
      const x = tf.tensor2d(xv);
      const w = tf.tensor2d(wv);
      const b = tf.tensor1d(bv);
      const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.square(linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D))),
      )([x, w, b]);
      return [linear(x, w, b), ...grads].map((t) => Array.from(t.dataSync()));
    });
    assertAllClose(value, y.flat(), 1e-5, 'x·W + b');
    assertAllClose(gx, xv.flatMap((_, i) => [0, 1].map((k) => 2 * y[i].reduce((a, yij, j) => a + yij * wv[k][j], 0))), 1e-4, '∂x');
    assertAllClose(gw, [0, 1].flatMap((k) => [0, 1, 2].map((j) => 2 * (xv[0][k] * y[0][j] + xv[1][k] * y[1][j]))), 1e-4, '∂W');
    assertAllClose(gb, [0, 1, 2].map((j) => 2 * (y[0][j] + y[1][j])), 1e-4, '∂b');
  });
}

test("linear's explicit-transpose gradient is itself differentiable: second-order gradients match tf.matMul's", () => {
  // G(W, b) = ‖∇_x Σ softplus(x·W + b)‖², a Jacobian-dependent loss like sliced score matching's.
  const secondOrder = (linear: (typeof linearForms)['builtin']) =>
    tf.tidy(() => {
      const x = tf.tensor2d([[0.3, -1.2], [2, 0.5], [-0.7, 0.1]]);
      const w = tf.tensor2d([[0.5, -1, 2], [1, 0.3, -0.5]]);
      const b = tf.tensor1d([0.1, 0.2, -0.3]);
      const G = (ww: tf.Tensor, bb: tf.Tensor) => {
        const gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.softplus(linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D))))(x);
        return tf.sum(tf.square(gx));
      };
      return tf.grads(G)([w, b]).map((t) => Array.from(t.dataSync()));
    });
  const [gwBuiltin, gbBuiltin] = secondOrder(linearForms.builtin);
  const [gwExplicit, gbExplicit] = secondOrder(linearForms.explicitTranspose);
  assert.ok(gwBuiltin.some((v) => Math.abs(v) > 1e-3), 'a non-trivial gradient');
  assertAllClose(gwExplicit, gwBuiltin, 1e-4, '∂G/∂W');
  assertAllClose(gbExplicit, gbBuiltin, 1e-4, '∂G/∂b');
});

test("'sinusoidal' conditioning feeds [x, sin(ω_k·log σ), cos(ω_k·log σ)] to the first layer", () => {
  // embeddingDim 2: one frequency, ω = 1. The hidden unit reads the sin (then the cos) column.
  const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [1], conditioning: 'sinusoidal', embeddingDim: 2, scaleBySigma: false } }).model;
  const net = createNetwork(config, 2, createRng(0, 'w'));
  for (const [column, f] of [[2, Math.sin], [3, Math.cos]] as const) {
    const kernel = [0, 0, 0, 0];
    kernel[column] = 1;
    net.setWeights([
      tensor('mlp/hidden0/kernel', [4, 1], kernel),
      tensor('mlp/hidden0/bias', [1], [0]),
      tensor('mlp/output/kernel', [1, 2], [1, 0]),
      tensor('mlp/output/bias', [2], [0, 0]),
    ]);
    for (const sigma of [0.05, 1.7, 10]) {
      const out = tf.tidy(() => net.score(tf.tensor2d([[2, 3]]), tf.tensor2d([[sigma]])).arraySync()[0]);
      assertAllClose(out, [ACTIVATION_FORMULAS.softplus(f(Math.log(sigma))), 0], 1e-5, `${f.name} column at σ = ${sigma}`);
    }
  }
  net.dispose();
});

test('the sinusoidal frequencies run geometrically from 1 to 100', () => {
  const w = embeddingFrequencies(8);
  assertAllClose(w, [0, 1, 2, 3].map((i) => 100 ** (i / 3)), 1e-3, 'ω');
  assert.deepEqual(Array.from(embeddingFrequencies(2)), [1]);
});

for (const conditioning of ['concat', 'sinusoidal', 'film'] as const) {
  test(`one [1, 1] σ for every row scores as that σ repeated per row (${conditioning})`, () => {
    const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [16, 16], conditioning, embeddingDim: 8 } }).model;
    const net = createNetwork(config, 3, createRng(4, 'w'));
    const [perRow, shared] = tf.tidy(() => {
      const x = tf.randomNormal([7, 3], 0, 2, 'float32', 1) as tf.Tensor2D;
      return [net.score(x, tf.fill([7, 1], 0.3) as tf.Tensor2D).arraySync(), net.score(x, tf.tensor2d([[0.3]])).arraySync()];
    });
    assertAllClose(shared.flat(), perRow.flat(), 1e-5, 's');
    assert.throws(() => tf.tidy(() => net.score(tf.ones([7, 3]) as tf.Tensor2D, tf.ones([2, 1]) as tf.Tensor2D)), /σ has 2 rows for 7 points/);
    net.dispose();
  });
}

/** A FiLM MLP on 2-D data, embeddingDim 2 (one frequency, ω = 1: e(σ) = [sin log σ, cos log σ]). */
function filmNet(hidden: number[], scaleBySigma: boolean, activation: Activation = 'softplus') {
  const config = requireExperimentConfig({ model: { kind: 'mlp', hidden, activation, conditioning: 'film', embeddingDim: 2, scaleBySigma } }).model;
  return createNetwork(config, 2, createRng(0, 'w'));
}

test("'film' feeds x alone and modulates each hidden pre-activation h as (1 + γ(σ))⊙h + β(σ)", () => {
  for (const scaleBySigma of [false, true]) {
    const net = filmNet([1], scaleBySigma);
    // h = x₀ + 0.5; γ = sin(log σ) + 0.2, β = cos(log σ) − 0.1; the output copies the unit to coordinate 0.
    net.setWeights([
      tensor('mlp/hidden0/kernel', [2, 1], [1, 0]),
      tensor('mlp/hidden0/bias', [1], [0.5]),
      tensor('mlp/output/kernel', [1, 2], [1, 0]),
      tensor('mlp/output/bias', [2], [0, 0]),
      // γ reads the sin column, β the cos column.
      tensor('mlp/hidden0/film/scale/kernel', [2, 1], [1, 0]),
      tensor('mlp/hidden0/film/scale/bias', [1], [0.2]),
      tensor('mlp/hidden0/film/shift/kernel', [2, 1], [0, 1]),
      tensor('mlp/hidden0/film/shift/bias', [1], [-0.1]),
    ]);
    for (const [x0, sigma] of [[0.3, 0.05], [-1.2, 1.7], [2, 10]]) {
      const t = Math.log(sigma);
      const f = ACTIVATION_FORMULAS.softplus((1 + Math.sin(t) + 0.2) * (x0 + 0.5) + Math.cos(t) - 0.1);
      const out = tf.tidy(() => net.score(tf.tensor2d([[x0, 7]]), tf.tensor2d([[sigma]])).arraySync()[0]);
      assertAllClose(out, [scaleBySigma ? f / sigma : f, 0], 1e-5, `s at x₀ = ${x0}, σ = ${sigma}, scaleBySigma ${scaleBySigma}`);
    }
    net.dispose();
  }
});

test("with FiLM's γ and β weights zeroed the network is the unconditioned MLP: the same output at every σ", async () => {
  const net = filmNet([16, 8], false, 'swish');
  const zeroed = (await net.getWeights()).map((w) => (w.name.includes('/film/') ? { ...w, data: new Float32Array(w.data.length) } : w));
  net.setWeights(zeroed);
  const byName = new Map(zeroed.map((w) => [w.name, w]));
  const points = [[0.4, -1.1], [2.2, 0.3], [-0.7, 1.9]];
  // The plain MLP, written out: swish(swish(x·W₀ + b₀)·W₁ + b₁)·W₂ + b₂.
  const dense = (a: number[], layer: string) => {
    const [k, b] = [byName.get(`mlp/${layer}/kernel`)!, byName.get(`mlp/${layer}/bias`)!];
    return Array.from({ length: k.shape[1] }, (_, j) => a.reduce((acc, v, i) => acc + v * k.data[i * k.shape[1] + j], b.data[j]));
  };
  const swish = (v: number) => v / (1 + Math.exp(-v));
  const expected = points.map((x) => dense(dense(dense(x, 'hidden0').map(swish), 'hidden1').map(swish), 'output'));
  for (const sigma of [0.01, 1, 25]) {
    const out = tf.tidy(() => net.score(tf.tensor2d(points), tf.fill([3, 1], sigma) as tf.Tensor2D).arraySync());
    assertAllClose(out.flat(), expected.flat(), 1e-5, `s at σ = ${sigma}`);
  }
  net.dispose();
});

test("'concat' and 'sinusoidal' have only their dense layers; 'film' adds a scale and a shift map from the embedding per hidden layer", async () => {
  const shapesOf = async (conditioning: 'concat' | 'sinusoidal' | 'film') => {
    const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [16, 8], conditioning, embeddingDim: 4 } }).model;
    const net = createNetwork(config, 3, createRng(0, 'w'));
    const shapes = (await net.getWeights()).map((w) => `${w.name} [${w.shape}]`);
    net.dispose();
    return shapes;
  };
  const dense = (inputs: number) => [`mlp/hidden0/kernel [${inputs},16]`, 'mlp/hidden0/bias [16]', 'mlp/hidden1/kernel [16,8]', 'mlp/hidden1/bias [8]', 'mlp/output/kernel [8,3]', 'mlp/output/bias [3]'];
  assert.deepEqual(await shapesOf('concat'), dense(4));
  assert.deepEqual(await shapesOf('sinusoidal'), dense(7));
  assert.deepEqual(await shapesOf('film'), [
    ...dense(3),
    'mlp/hidden0/film/scale/kernel [4,16]',
    'mlp/hidden0/film/scale/bias [16]',
    'mlp/hidden0/film/shift/kernel [4,16]',
    'mlp/hidden0/film/shift/bias [16]',
    'mlp/hidden1/film/scale/kernel [4,8]',
    'mlp/hidden1/film/scale/bias [8]',
    'mlp/hidden1/film/shift/kernel [4,8]',
    'mlp/hidden1/film/shift/bias [8]',
  ]);
});

test("FiLM's scale and shift maps count toward the parameter bound: a config within it as 'concat' is refused as 'film', naming model.hidden", () => {
  // 16 layers of 1024: 16.8M dense parameters; FiLM adds 2·(1024 + 1)·16384 = 33.6M more, past 2²⁵.
  const model = { kind: 'mlp', hidden: Array(16).fill(1024), embeddingDim: 1024 };
  assert.equal(parseExperimentConfig({ model: { ...model, conditioning: 'concat' } }).ok, true);
  const film = parseExperimentConfig({ model: { ...model, conditioning: 'film' } });
  assert.deepEqual(film.ok ? [] : film.issues.map((i) => i.field), ['model.hidden']);
});
