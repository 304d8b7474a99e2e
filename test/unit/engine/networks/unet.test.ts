/**
 * The image U-Net: shapes, how σ enters, its gradient against finite differences, its weights, its
 * size accounting and the config rules around it; and a whole MNIST run with it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { knownScheduleSpan, parseExperimentConfig, requireExperimentConfig, sizeIssues, unetParameterCount } from '../../../../src-shared/config';
import type { ModelConfig } from '../../../../src-shared/config';
import type { ImageShape } from '../../../../src-main/engine/data';
import { MNIST_IMAGE } from '../../../../src-main/engine/data/mnist';
import { kernelsUsed, missingKernels } from '../../../../src-main/engine/kernel-probe';
import { createNetwork } from '../../../../src-main/engine/networks';
import { createRng } from '../../../../src-main/engine/random';
import { runExperiment } from '../../../../src-main/engine/run/run-experiment';
import { assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

type UnetConfig = Extract<ModelConfig, { kind: 'unet' }>;

function unet(fields: Partial<Omit<UnetConfig, 'kind'>> = {}): UnetConfig {
  const config = requireExperimentConfig({ data: { kind: 'mnist' }, model: { kind: 'unet', ...fields } }).model;
  assert.equal(config.kind, 'unet');
  return config as UnetConfig;
}

const TINY_IMAGE: ImageShape = { height: 4, width: 4, channels: 1 };
const tinyNet = (scaleBySigma: boolean, seed = 0) =>
  createNetwork(unet({ channels: [2, 3], embeddingDim: 4, scaleBySigma }), 16, createRng(seed, 'w'), { image: TINY_IMAGE });

function evaluate(net: ReturnType<typeof tinyNet>, x: Float32Array, sigma: number[]): Float32Array {
  return tf.tidy(() => net.score(tf.tensor2d(x, [x.length / 16, 16]), tf.tensor2d(sigma, [sigma.length, 1])).dataSync() as Float32Array);
}

test('the U-Net maps [n, 784] MNIST rows to a score of the same shape', () => {
  const net = createNetwork(unet(), 784, createRng(0, 'w'), { image: MNIST_IMAGE });
  try {
    const s = tf.tidy(() => net.score(tf.randomUniform([3, 784]) as tf.Tensor2D, tf.tensor2d([0.1, 0.5, 1], [3, 1])));
    assert.deepEqual(s.shape, [3, 784]);
    assert.ok((s.dataSync() as Float32Array).every(Number.isFinite));
    s.dispose();
  } finally {
    net.dispose();
  }
});

test('the U-Net depends on σ beyond the 1/σ scaling, and scaleBySigma divides f by exactly σ', () => {
  const plain = tinyNet(false);
  const scaled = tinyNet(true);
  try {
    const x = Float32Array.from({ length: 2 * 16 }, (_, i) => Math.sin(i));
    const fLow = evaluate(plain, x, [0.1, 0.1]);
    const fHigh = evaluate(plain, x, [2, 2]);
    const change = Math.max(...fLow.map((v, i) => Math.abs(v - fHigh[i])));
    assert.ok(change > 1e-2, `f(x, 0.1) and f(x, 2) differ by at most ${change}`);
    // One σ for every row ([1, 1]) is the same as that σ repeated per row.
    const shared = tf.tidy(() => plain.score(tf.tensor2d(x, [2, 16]), tf.tensor2d([[0.1]])).dataSync() as Float32Array);
    shared.forEach((v, i) => assertClose(v, fLow[i], 1e-6, `broadcast σ [${i}]`));
    // Same seed, same weights: s = f/σ.
    const sigma = [0.3, 1.7];
    const f = evaluate(plain, x, sigma);
    const s = evaluate(scaled, x, sigma);
    s.forEach((v, i) => assertClose(v, f[i] / sigma[Math.floor(i / 16)], 1e-5 * (1 + Math.abs(v)), `s[${i}]`));
  } finally {
    plain.dispose();
    scaled.dispose();
  }
});

test('the U-Net gradient matches central finite differences, in the input and in every weight tensor', async () => {
  const net = tinyNet(true, 3);
  const rng = createRng(7, 'fd');
  const n = 2;
  const x = Float32Array.from({ length: n * 16 }, () => rng.uniform());
  const sigma = [0.4, 1.1];
  const r = Float32Array.from({ length: n * 16 }, () => rng.normal());
  // L(x, θ) = Σ r·s_θ(x, σ): its gradient exercises every layer's backward pass.
  const loss = (xs: tf.Tensor2D) => tf.sum(tf.mul(net.score(xs, tf.tensor2d(sigma, [n, 1])), tf.tensor2d(r, [n, 16]))) as tf.Scalar;
  const lossAt = (xv: Float32Array) => tf.tidy(() => loss(tf.tensor2d(xv, [n, 16])).dataSync()[0]);
  const h = 1e-2;
  // Float32 rounding over h and the O(h²) truncation bound the agreement.
  const tolerance = (v: number) => 2e-3 + 2e-2 * Math.abs(v);
  try {
    const dx = tf.tidy(() => tf.grad((xs: tf.Tensor) => loss(xs as tf.Tensor2D))(tf.tensor2d(x, [n, 16])).dataSync() as Float32Array);
    for (let i = 0; i < x.length; i++) {
      const up = x.slice();
      const down = x.slice();
      up[i] += h;
      down[i] -= h;
      const fd = (lossAt(up) - lossAt(down)) / (2 * h);
      assertClose(dx[i], fd, tolerance(fd), `∂L/∂x[${i}]`);
    }
    const { grads } = tf.tidy(() => {
      const { value, grads: g } = tf.variableGrads(() => loss(tf.tensor2d(x, [n, 16])), net.variables);
      value.dispose();
      return { grads: g };
    });
    const weights = await net.getWeights();
    net.variables.forEach((v, t) => {
      const analytic = grads[v.name].dataSync() as Float32Array;
      // Three entries of each tensor: the first, the middle, the last.
      for (const k of [0, Math.floor(analytic.length / 2), analytic.length - 1]) {
        const shifted = (delta: number) => {
          const data = weights[t].data.slice();
          data[k] += delta;
          net.setWeights(weights.map((w, u) => (u === t ? { ...w, data } : w)));
          return lossAt(x);
        };
        const fd = (shifted(h) - shifted(-h)) / (2 * h);
        assertClose(analytic[k], fd, tolerance(fd), `∂L/∂${weights[t].name}[${k}]`);
      }
      net.setWeights(weights);
    });
    tf.dispose(Object.values(grads));
  } finally {
    net.dispose();
  }
});

test('U-Net weights round-trip through getWeights/setWeights, and a mis-shaped tensor is named', async () => {
  const a = tinyNet(true, 1);
  const b = tinyNet(true, 2);
  try {
    const x = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    assert.notDeepEqual(evaluate(a, x, [0.5]), evaluate(b, x, [0.5]), 'different seeds, different networks');
    b.setWeights(await a.getWeights());
    assert.deepEqual(evaluate(b, x, [0.5]), evaluate(a, x, [0.5]));
    assert.deepEqual((await b.getWeights()), (await a.getWeights()));
    const broken = (await a.getWeights()).map((w) => (w.name === 'unet/down1/kernel' ? { ...w, shape: [3, 3, 2, 2], data: w.data.slice(0, 36) } : w));
    assert.throws(() => b.setWeights(broken), /unet\/down1\/kernel has shape \[3,3,2,2\], expected \[3,3,2,3\]/);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("unetParameterCount counts the network's variables", () => {
  for (const channels of [[2, 3], [8, 16, 32], [4, 4, 4]]) {
    const config = unet({ channels, embeddingDim: 6 });
    const image = channels.length === 2 ? TINY_IMAGE : MNIST_IMAGE;
    const net = createNetwork(config, image.height * image.width, createRng(0, 'w'), { image });
    const count = net.variables.reduce((a, v) => a + v.size, 0);
    net.dispose();
    assert.equal(unetParameterCount(config, 1), count, `channels ${channels}`);
  }
});

test('configs the U-Net cannot run are refused, naming the field', () => {
  const issues = (input: unknown) => {
    const result = parseExperimentConfig(input);
    assert.equal(result.ok, false);
    return result.ok ? [] : result.issues;
  };
  const onPoints = issues({ model: { kind: 'unet' } });
  assert.ok(onPoints.some((i) => i.field === 'model.kind' && /image data/.test(i.message)), JSON.stringify(onPoints));
  for (const objective of ['ism', 'ssm', 'noisy-ssm']) {
    const found = issues({ data: { kind: 'mnist' }, model: { kind: 'unet' }, objective: { kind: objective } });
    assert.ok(found.some((i) => i.field === 'objective.kind' && /Jacobian/.test(i.message)), `${objective}: ${JSON.stringify(found)}`);
  }
  assert.ok(parseExperimentConfig({ data: { kind: 'mnist' }, model: { kind: 'unet' }, objective: { kind: 'fd-ssm' } }).ok, 'fd-ssm is first-order');
  const widths = issues({ data: { kind: 'mnist' }, model: { kind: 'unet', channels: [8, 8, 8, 8, 8] } });
  assert.ok(widths.some((i) => i.field === 'model.channels'), JSON.stringify(widths));
  // Four resolutions would halve 28 three times: 28 is not divisible by 8.
  assert.throws(() => createNetwork(unet({ channels: [4, 4, 4, 4] }), 784, createRng(0, 'w'), { image: MNIST_IMAGE }), /model\.channels: .*divisible by 8/);
  assert.throws(() => createNetwork(unet(), 784, createRng(0, 'w')), /unet needs image data/);
  const big = requireExperimentConfig({ data: { kind: 'mnist' }, model: { kind: 'unet', channels: [256, 256] }, train: { batchSize: 4096 } });
  const size = sizeIssues(big, { n: 8000, dim: 784, image: MNIST_IMAGE }, knownScheduleSpan(big.schedule));
  assert.ok(size.some((i) => i.path.join('.') === 'train.batchSize' && /U-Net's feature maps/.test(i.message)), JSON.stringify(size));
});

test("the kernel probe runs the U-Net, and the active backend has every kernel it needs", async () => {
  const needed = await kernelsUsed();
  for (const kernel of ['Conv2D', 'AvgPool', 'Tile']) assert.ok(needed.includes(kernel), `${kernel} in ${needed}`);
  assert.deepEqual(missingKernels(needed, tf.getBackend()), []);
  // Upsampling is reshape + tile (networks/upsample.ts): cpu's ResizeNearestNeighborGrad is wrong for batch > 1.
  assert.ok(!needed.includes('ResizeNearestNeighborGrad'));
  // Conv2DBackpropFilter, which wasm lacks, is not among them: conv3x3 writes both gradients as forward convolutions.
  assert.ok(!needed.includes('Conv2DBackpropFilter'));
});

test('a U-Net run on MNIST trains, samples and reports FID and KID with their counts', async () => {
  const config = requireExperimentConfig({
    data: { kind: 'mnist', n: 200 },
    model: { kind: 'unet', channels: [4, 4, 4], embeddingDim: 4 },
    schedule: { kind: 'geometric', sigmaMin: 0.01, sigmaMax: 1, levels: 2 },
    train: { steps: 2, batchSize: 8, logEvery: 1 },
    sampler: { kind: 'annealed-langevin', n: 6, stepsPerLevel: 1, init: 'gaussian-sigma-max' },
  });
  const outcome = await runExperiment(config, { baseDir: '.', isCancelled: () => false, emit: () => {} });
  assert.equal(outcome.status, 'completed', outcome.error);
  const image = outcome.metrics?.image;
  assert.ok(image, JSON.stringify(outcome.metrics));
  assert.equal(image.nSamples + image.nonFinite, 6);
  assert.equal(image.nReference, 1996, 'every test-split digit is held out when n is within the training split');
  assert.ok(Number.isFinite(image.fid) && image.fid > 0, `fid ${image.fid}`);
  assert.ok(Number.isFinite(image.kid));
  assert.equal(outcome.metrics?.distances, undefined, 'no pixel-space distances for images');
});
