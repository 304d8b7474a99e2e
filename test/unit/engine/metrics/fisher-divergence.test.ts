/**
 * The Fisher divergence per noise level, ½E_{x̃~p_σ}‖s(x̃, σ) − ∇log p_σ(x̃)‖²: exactly 0 for the
 * true score, and the closed form for a wrong linear score on a Gaussian.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fisherDivergence } from '../../../../src-main/engine/metrics';
import { createRng } from '../../../../src-main/engine/random';
import { perturbedMixtureScoreTensor } from '../../../../src-main/engine/targets';
import { useEngineBackend } from '../helpers';

useEngineBackend();

const sigmas = [0.1, 0.5, 2, 8];

test('the true perturbed score has Fisher divergence exactly 0 at every level', async () => {
  const mixture = { means: [[4, 4], [-4, 4], [0, -4]], stds: [0.7, 0.7, 0.7], weights: [0.5, 0.3, 0.2] };
  const values = await fisherDivergence((x, sigma) => perturbedMixtureScoreTensor(mixture, x, sigma), mixture, sigmas, 500, createRng(0, 'fisher'));
  assert.deepEqual(values, [0, 0, 0, 0]);
});

test('a wrong linear score on a Gaussian gives ½[(1/v − a)²·v·D + a²‖μ − c‖²], v = s² + σ²', async () => {
  // Data N(μ, s²I) in D = 2; s(x) = −a(x − c). With u = x̃ − μ ~ N(0, vI), the error is αu − b with
  // α = 1/v − a, b = a(μ − c), so Y = ½‖αu − b‖² has mean ½(α²vD + ‖b‖²) and variance
  // ¼(2Dα⁴v² + 4α²‖b‖²v) (the cross term's covariance with ‖u‖² is an odd moment, 0).
  const [mu, s, a, c, dim, n] = [[1, -2], 0.8, 0.6, [0.5, -1], 2, 20_000] as const;
  const mixture = { means: [[...mu]], stds: [s], weights: [1] };
  const wrong = (x: tf.Tensor2D) => tf.mul(-a, tf.sub(x, tf.tensor2d([[...c]]))) as tf.Tensor2D;
  const values = await fisherDivergence(wrong, mixture, sigmas, n, createRng(1, 'fisher'));
  const b2 = a * a * ((mu[0] - c[0]) ** 2 + (mu[1] - c[1]) ** 2);
  sigmas.forEach((sigma, i) => {
    const v = s * s + sigma * sigma;
    const alpha = 1 / v - a;
    const exact = 0.5 * (alpha * alpha * v * dim + b2);
    const se = Math.sqrt((2 * dim * alpha ** 4 * v * v + 4 * alpha * alpha * b2 * v) / 4 / n);
    const got = values[i];
    assert.ok(got !== null && Math.abs(got - exact) <= 4 * se, `σ = ${sigma}: ${got}, exact ${exact} ± ${4 * se}`);
  });
});

test('a score that is not finite gives null for that level, not a number', async () => {
  const mixture = { means: [[0, 0]], stds: [1], weights: [1] };
  const values = await fisherDivergence((x) => tf.div(x, 0) as tf.Tensor2D, mixture, [1], 10, createRng(2, 'fisher'));
  assert.deepEqual(values, [null]);
});
