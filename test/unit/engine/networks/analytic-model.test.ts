/**
 * The analytic model: its log-density is the perturbed mixture's, log p_σ = log Σ_k w_k·N(μ_k,
 * (s_k² + σ²)I) (checked against the float64 formula), and its score is that log-density's
 * gradient (checked against central differences), at one σ for every row and one σ per row.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mixture } from '../../../../src-main/engine/data/types';
import { createAnalytic } from '../../../../src-main/engine/networks/analytic';
import { createRng } from '../../../../src-main/engine/random';
import { mixtureLogDensity, perturbedMixture } from '../../../../src-main/engine/targets';
import { assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

const MIXTURE: Mixture = { means: [[4, 4], [-4, 4], [0, -4]], stds: [0.7, 1, 0.5], weights: [0.5, 0.3, 0.2] };
const POINTS = [[0.5, 1], [-3, 3.5], [1, -4.2], [6, 0]];
const model = createAnalytic({ kind: 'analytic' }, 2, createRng(0, 'unused'), { mixture: MIXTURE });

const CASES: [string, number[][]][] = [
  ['one σ for every row', [[0.8]]],
  ['one σ per row', [[0.1], [0.8], [2], [5]]],
];
for (const [what, sigmas] of CASES) {
  test(`the analytic log-density is the perturbed mixture's, and its score that density's gradient (${what})`, () => {
    const sigmaOf = (i: number) => (sigmas.length === 1 ? sigmas[0][0] : sigmas[i][0]);
    const [logP, score] = tf.tidy(() => {
      const x = tf.tensor2d(POINTS);
      const sigma = tf.tensor2d(sigmas);
      return [model.logDensity!(x, sigma).arraySync(), model.score(x, sigma).arraySync()];
    }) as [number[], number[][]];
    const h = 1e-4;
    POINTS.forEach((p, i) => {
      const target = perturbedMixture(MIXTURE, sigmaOf(i));
      assertClose(logP[i], mixtureLogDensity(target, p), 1e-4, `log p_σ at row ${i}`);
      for (let j = 0; j < 2; j++) {
        const [up, down] = [1, -1].map((d) => mixtureLogDensity(target, p.map((v, k) => (k === j ? v + d * h : v))));
        assertClose(score[i][j], (up - down) / (2 * h), 1e-3 * Math.max(1, Math.abs(score[i][j])), `score at row ${i}, coordinate ${j}`);
      }
    });
  });
}

test('the analytic model has no weights and refuses data without a mixture', async () => {
  assert.deepEqual([model.variables.length, (await model.getWeights()).length], [0, 0]);
  assert.throws(() => createAnalytic({ kind: 'analytic' }, 2, createRng(0, 'unused'), {}), /data\.kind gaussian-mixture/);
});
