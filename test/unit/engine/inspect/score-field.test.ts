/**
 * The score field's numbers: the learned arrows are the network's s_θ(x, σ_i) at the grid's
 * points, and the density under data of unknown law is the training points convolved with
 * N(0, σ²I), checked against that sum written out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../../../src-shared/api';
import type { Dataset } from '../../../../src-main/engine/data';
import { cellCentres, scoreField } from '../../../../src-main/engine/inspect/score-field';
import type { ScoreNetwork } from '../../../../src-main/engine/networks';
import { assertAllClose, assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

/** s(x, σ) = −x/σ²: the score of N(0, σ²I), a stand-in network with a closed form. */
const gaussianNet = { score: (x: tf.Tensor2D, sigma: tf.Tensor2D) => tf.div(tf.neg(x), tf.square(sigma)) } as unknown as ScoreNetwork;

const schedule: ScheduleLevel[] = [
  { level: 0, sigma: 2, alpha: 1, weight: 4 },
  { level: 1, sigma: 0.5, alpha: 0.1, weight: 0.25 },
];

/** Four points on a square, without a generating mixture (like CSV data). */
const data: Dataset = { points: new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), n: 4, dim: 2 };

test('the learned arrows are s_θ(x, σ_i) at the centres of the grid cells, over a square box around the data', async () => {
  const field = await scoreField(data, schedule, gaussianNet, 1, 4);
  assertAllClose([...field.box.x, ...field.box.y], [-1.2, 1.2, -1.2, 1.2], 1e-6, 'box: the data box padded by 10%');
  const centres = cellCentres(field.box, 4);
  assertAllClose(
    field.learned,
    Array.from(centres, (c) => -c / 0.25),
    1e-4,
    'learned',
  );
  assert.equal(field.sigma, 0.5);
  assert.equal(field.true, null, 'no true score without a known density');
});

test('without a known law the density is the training points convolved with N(0, σ²I)', async () => {
  const sigma = schedule[0].sigma;
  const field = await scoreField(data, schedule, gaussianNet, 0, 4);
  assert.equal(field.density.source, 'training-data');
  const r = field.density.resolution;
  const centres = cellCentres(field.box, r);
  for (const cell of [0, 7 * r + 30, r * r - 1]) {
    const [x, y] = [centres[2 * cell], centres[2 * cell + 1]];
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += Math.exp(-((x - data.points[2 * i]) ** 2 + (y - data.points[2 * i + 1]) ** 2) / (2 * sigma * sigma));
    assertClose(field.density.values[cell], sum / (4 * 2 * Math.PI * sigma * sigma), 1e-12, `density at cell ${cell}`);
  }
});

test('data of another dimension and a level past the schedule are refused, saying why', async () => {
  const threeD: Dataset = { points: new Float32Array(9), n: 3, dim: 3 };
  await assert.rejects(scoreField(threeD, schedule, gaussianNet, 0, 4), /2-D data; this run's data have dimension 3/);
  await assert.rejects(scoreField(data, schedule, gaussianNet, 2, 4), /level: must be an integer from 0 to 1/);
});
