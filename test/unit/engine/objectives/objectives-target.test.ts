import * as tf from '@tensorflow/tfjs';
import { test } from 'node:test';
import { mixtureLogDensity, mixtureScore, perturbedMixture, perturbedMixtureScoreTensor } from '../../../../src-main/engine/targets';
import { assertAllClose, assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

const MIXTURE = { means: [[4, 4], [-4, 4], [0, -4]], stds: [0.7, 1.1, 0.5], weights: [0.5, 0.3, 0.2] };
const POINTS = [[0, 0], [3.5, 4.2], [-2, 1], [0.3, -3.1], [7, -6], [-4, 4]];

test('a one-component mixture has the Gaussian log-density −(D/2)·log(2πs²) − ‖x − μ‖²/(2s²)', () => {
  const gaussian = { means: [[1, -2, 0.5]], stds: [1.5], weights: [1] };
  const x = [0.2, 0.3, -1];
  const d2 = 0.8 ** 2 + 2.3 ** 2 + 1.5 ** 2;
  assertClose(mixtureLogDensity(gaussian, x), -1.5 * Math.log(2 * Math.PI * 2.25) - d2 / 4.5, 1e-12, 'log p');
  assertAllClose(mixtureScore(gaussian, x), [0.8 / 2.25, -2.3 / 2.25, 1.5 / 2.25], 1e-12, '∇ log p = (μ − x)/s²');
});

test('the mixture density integrates to 1 (midpoint rule on a grid that holds all its mass)', () => {
  const h = 0.05;
  let mass = 0;
  for (let x = -12 + h / 2; x < 12; x += h) for (let y = -12 + h / 2; y < 12; y += h) mass += Math.exp(mixtureLogDensity(MIXTURE, [x, y]));
  assertClose(mass * h * h, 1, 1e-6, '∫ p');
});

for (const sigma of [0, 0.5, 3]) {
  test(`the mixture score is the gradient of its log-density (central differences, σ = ${sigma})`, () => {
    const target = perturbedMixture(MIXTURE, sigma);
    const h = 1e-5;
    for (const x of POINTS) {
      const fd = x.map((_, j) => {
        const plus = [...x];
        const minus = [...x];
        plus[j] += h;
        minus[j] -= h;
        return (mixtureLogDensity(target, plus) - mixtureLogDensity(target, minus)) / (2 * h);
      });
      // Truncation O(h²·∂³log p) and rounding O(1e-16/h) are both ≲ 1e-8 here.
      assertAllClose(mixtureScore(target, x), fd, 1e-6, `∇ log p_σ at (${x})`);
    }
  });
}

test('perturbing by σ gives the mixture with stds √(s_k² + σ²), weights and means unchanged', () => {
  const target = perturbedMixture(MIXTURE, 2);
  assertAllClose(target.stds, [Math.sqrt(0.49 + 4), Math.sqrt(1.21 + 4), Math.sqrt(0.25 + 4)], 1e-12, 'stds');
  assertAllClose(target.weights, MIXTURE.weights, 0, 'weights');
});

test('the batched perturbed score matches the float64 one row by row, each row at its own σ', () => {
  const sigmas = [0.05, 0.5, 1, 3, 10, 0.2];
  const actual = tf.tidy(() =>
    perturbedMixtureScoreTensor(MIXTURE, tf.tensor2d(POINTS), tf.tensor2d(sigmas, [sigmas.length, 1])).arraySync(),
  );
  POINTS.forEach((x, j) => {
    const expected = mixtureScore(perturbedMixture(MIXTURE, sigmas[j]), x);
    const scale = Math.max(1, ...expected.map(Math.abs));
    assertAllClose(actual[j], expected, 1e-5 * scale, `row ${j} (σ = ${sigmas[j]})`);
  });
});
