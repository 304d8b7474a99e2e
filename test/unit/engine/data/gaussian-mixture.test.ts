import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../../src-shared/config';
import { loadDataset, sampleMixture } from '../../../../src-main/engine/data';
import { createRng } from '../../../../src-main/engine/random';
import { assertClose } from '../helpers';

test('mixture draws fall to each component in proportion to its weight, with its mean and std', () => {
  const mixture = { means: [[-20, 0], [20, 0]], stds: [0.5, 2], weights: [0.2, 0.8] };
  const n = 50_000;
  const points = sampleMixture(mixture, n, createRng(1, 'data'));
  const left = [];
  for (let i = 0; i < n; i++) if (points[2 * i] < 0) left.push(points[2 * i + 1]);
  assertClose(left.length / n, 0.2, 0.01, 'share of the left component'); // standard error 0.0018
  // The y coordinate of the left component: mean 0, std 0.5.
  const mean = left.reduce((a, b) => a + b, 0) / left.length;
  const sd = Math.sqrt(left.reduce((a, b) => a + (b - mean) ** 2, 0) / left.length);
  assertClose(mean, 0, 0.02, 'left mean y');
  assertClose(sd, 0.5, 0.015, 'left std y');
});

test('the default dataset is 5000 points from the three-mode mixture, and exposes that mixture', async () => {
  const config = requireExperimentConfig({});
  const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: '/' });
  assert.equal(data.n, 5000);
  assert.equal(data.dim, 2);
  assert.equal(data.points.length, 10_000);
  assert.deepEqual(data.mixture, { means: [[4, 4], [-4, 4], [0, -4]], stds: [0.7, 0.7, 0.7], weights: [0.5, 0.3, 0.2] });
});

test('the same seed draws the same dataset', async () => {
  const config = requireExperimentConfig({ seed: 9 });
  const draw = async () => (await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: '/' })).points;
  assert.deepEqual(await draw(), await draw());
});
