import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreFn } from '../../../../src-main/engine/networks';
import { createDsm, dsmLoss } from '../../../../src-main/engine/objectives/dsm';
import { createRng } from '../../../../src-main/engine/random';
import { levelMeans } from '../../../../src-main/engine/training/level-losses';
import { assertAllClose, assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

/** The score of N(0, (1 + σ²)·I): s(x, σ) = −x/(1 + σ²). Linear, so the loss is easy by hand. */
const gaussianScore: ScoreFn = (x, sigma) => tf.tidy(() => tf.div(tf.neg(x), tf.add(1, tf.square(sigma))) as tf.Tensor2D);

test('the DSM loss is ½·λ(σ)·‖s(x + σz, σ) + z/σ‖², row by row', () => {
  // Row 1: x = (1, 2), σ = 0.5, z = (1, −1), λ = σ² = 0.25.
  //   x̃ = (1.5, 1.5); s = −x̃/1.25 = (−1.2, −1.2); z/σ = (2, −2); s + z/σ = (0.8, −3.2)
  //   ℓ = ½ · 0.25 · (0.64 + 10.24) = 1.36
  // Row 2: x = (0, −1), σ = 2, z = (0.5, 0.5), λ = 1 ('one' weighting).
  //   x̃ = (1, 0); s = −x̃/5 = (−0.2, 0); z/σ = (0.25, 0.25); s + z/σ = (0.05, 0.25)
  //   ℓ = ½ · 1 · (0.0025 + 0.0625) = 0.0325
  const loss = tf.tidy(() =>
    dsmLoss(
      gaussianScore,
      tf.tensor2d([[1, 2], [0, -1]]),
      tf.tensor2d([[0.5], [2]]),
      tf.tensor2d([[1, -1], [0.5, 0.5]]),
      tf.tensor2d([[0.25], [1]]),
    ).arraySync(),
  );
  assertAllClose(loss, [1.36, 0.0325], 1e-6, 'ℓ');
});

test('the exact score of a point mass has zero DSM loss at every level', () => {
  // Data x = 0: q_σ(x̃) = N(0, σ²I), whose score −x̃/σ² = −z/σ cancels the target exactly.
  const pointMassScore: ScoreFn = (x, sigma) => tf.tidy(() => tf.div(tf.neg(x), tf.square(sigma)) as tf.Tensor2D);
  const loss = tf.tidy(() =>
    dsmLoss(
      pointMassScore,
      tf.zeros([3, 2]) as tf.Tensor2D,
      tf.tensor2d([[10], [1], [0.05]]),
      tf.tensor2d([[0.3, -1.2], [2, 0.1], [-0.7, 0.4]]),
      tf.tensor2d([[100], [1], [0.0025]]),
    ).arraySync(),
  );
  assertAllClose(loss, [0, 0, 0], 1e-6, 'ℓ');
});

test('with λ = σ², a zero score costs ½‖z‖² whatever σ is', () => {
  const zeroScore: ScoreFn = (x) => tf.zerosLike(x);
  const loss = tf.tidy(() =>
    dsmLoss(zeroScore, tf.ones([2, 2]) as tf.Tensor2D, tf.tensor2d([[10], [0.1]]), tf.tensor2d([[3, 4], [3, 4]]), tf.tensor2d([[100], [0.01]])).arraySync(),
  );
  assertAllClose(loss, [12.5, 12.5], 1e-4, 'ℓ');
});

test('multi-scale DSM draws each level uniformly and reports the level of every sample', () => {
  const levels = [10, 1, 0.1].map((sigma, level) => ({ level, sigma, alpha: 0, weight: sigma * sigma }));
  const dsm = createDsm({ kind: 'dsm', weighting: 'sigma2' }, levels);
  const n = 3000;
  const { perSample, levels: drawn } = tf.tidy(() => {
    const out = dsm.sampleLoss({ score: (x) => tf.zerosLike(x) }, tf.zeros([n, 2]) as tf.Tensor2D, createRng(1, 'test'));
    return { perSample: tf.keep(out.perSample), levels: out.levels };
  });
  assert.deepEqual(perSample.shape, [n]);
  const counts = [0, 1, 2].map((i) => drawn.filter((l) => l === i).length / n);
  // Each share is 1/3 with standard deviation √(2/9/3000) ≈ 0.0086.
  counts.forEach((share, i) => assertClose(share, 1 / 3, 0.035, `share of level ${i}`));
  // A zero score costs ½‖z‖² at every level (λ = σ²), whose mean is ½·D = 1.
  assertClose(perSample.mean().arraySync() as number, 1, 0.08, 'mean loss');
  perSample.dispose();
});

test('per-level means average the losses of the samples drawn at each level; absent levels are null', () => {
  assert.deepEqual(levelMeans([1, 2, 3, 10], Int32Array.from([0, 2, 0, 2]), 4), [2, null, 6, null]);
});
