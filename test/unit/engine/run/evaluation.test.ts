/**
 * What a run's final samples are scored with, on which counts: distances for point data against a
 * held-out draw (or the training rows of a file), capped and repeatable; the Fisher divergence per
 * level where the data's score is known.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleLevel } from '../../../../src-shared/api';
import { gaussianMixtureDataset } from '../../../../src-main/engine/data/gaussian-mixture';
import { toyDataset } from '../../../../src-main/engine/data/toys';
import { createRng } from '../../../../src-main/engine/random';
import { distancePointCap, evaluateSamples, FISHER_POINTS_PER_LEVEL, MAX_DISTANCE_POINTS, SLICED_PROJECTIONS } from '../../../../src-main/engine/run/evaluation';
import { perturbedMixtureScoreTensor } from '../../../../src-main/engine/targets';
import { useEngineBackend } from '../helpers';

useEngineBackend();

const schedule: ScheduleLevel[] = [1, 0.1].map((sigma, level) => ({ level, sigma, alpha: 0, weight: 1 }));
const zeroScore = (x: tf.Tensor2D) => tf.zerosLike(x);

test('toy samples: distances on at most the cap, against as many held-out points, and no Fisher divergence', async () => {
  const data = toyDataset({ kind: 'two-moons', n: 1000, noise: 0.1 }, createRng(0, 'data'));
  const samples = data.draw!(MAX_DISTANCE_POINTS + 500, createRng(0, 'samples'));
  const metrics = await evaluateSamples(samples, data, { score: zeroScore, schedule, seed: 3 });
  assert.equal(metrics.n, MAX_DISTANCE_POINTS + 500);
  const d = metrics.distances!;
  assert.deepEqual([d.nSamples, d.nReference, d.nonFinite, d.reference, d.projections], [MAX_DISTANCE_POINTS, MAX_DISTANCE_POINTS, 0, 'held-out', SLICED_PROJECTIONS]);
  assert.equal(metrics.fisher, undefined);
  assert.equal(metrics.modeShares, undefined);
  // The same seed scores the same samples the same way.
  assert.deepEqual((await evaluateSamples(samples, data, { score: zeroScore, schedule, seed: 3 })), metrics);
});

test('samples from the data score near 0; samples shifted off it score higher on every distance', async () => {
  const data = toyDataset({ kind: 'rings', n: 1000, radii: [1, 2], noise: 0.05 }, createRng(0, 'data'));
  const good = data.draw!(600, createRng(1, 'samples'));
  const shifted = good.map((v, i) => (i % 2 === 0 ? v + 1 : v));
  const onData = (await evaluateSamples(good, data, { score: zeroScore, schedule, seed: 0 })).distances!;
  const off = (await evaluateSamples(shifted, data, { score: zeroScore, schedule, seed: 0 })).distances!;
  assert.ok(off.mmd2 > 10 * Math.abs(onData.mmd2), `MMD² ${off.mmd2} vs ${onData.mmd2}`);
  assert.ok(off.energyDistance > 10 * Math.abs(onData.energyDistance), `energy ${off.energyDistance} vs ${onData.energyDistance}`);
  assert.ok(off.slicedWasserstein > 3 * onData.slicedWasserstein, `SW ${off.slicedWasserstein} vs ${onData.slicedWasserstein}`);
  // Each MMD-type distance is stored with its standard error: the shift is more than 3 of them away from 0,
  // the on-data score within a few.
  assert.ok(off.mmd2 > 3 * off.mmd2StdErr! && off.energyDistance > 3 * off.energyDistanceStdErr!, `${JSON.stringify(off)}`);
  assert.ok(Math.abs(onData.mmd2) < 4 * onData.mmd2StdErr!, `MMD² ${onData.mmd2} ± ${onData.mmd2StdErr}`);
  assert.ok(Math.abs(onData.energyDistance) < 4 * onData.energyDistanceStdErr!, `energy ${onData.energyDistance} ± ${onData.energyDistanceStdErr}`);
});

test('the cap falls with the dimension so that the O(n²·D) distances stay a few seconds', async () => {
  assert.equal(distancePointCap(2), MAX_DISTANCE_POINTS);
  assert.equal(distancePointCap(4), MAX_DISTANCE_POINTS);
  // n²·D ≤ 4·2000²: 1000 points in 16-D, 142 in 784-D (an MNIST image).
  assert.equal(distancePointCap(16), 1000);
  assert.equal(distancePointCap(784), 142);
  const dim = 16;
  const data = { points: new Float32Array(3000 * dim).map((_, i) => Math.sin(i)), n: 3000, dim };
  const d = (await evaluateSamples(data.points.slice(0, 1500 * dim), data, { score: zeroScore, schedule, seed: 0 })).distances!;
  assert.deepEqual([d.nSamples, d.nReference], [1000, 1000]);
});

test('non-finite samples are left out of the distances and counted', async () => {
  const data = toyDataset({ kind: 'spirals', n: 1000, arms: 2, noise: 0.1 }, createRng(0, 'data'));
  const samples = data.draw!(100, createRng(1, 'samples'));
  samples[0] = NaN;
  samples[11] = Infinity;
  const d = (await evaluateSamples(samples, data, { score: zeroScore, schedule, seed: 0 })).distances!;
  assert.deepEqual([d.nSamples, d.nReference, d.nonFinite], [98, 98, 2]);
  assert.ok(Number.isFinite(d.mmd2) && Number.isFinite(d.energyDistance) && Number.isFinite(d.slicedWasserstein));
});

test('a file without a generator is compared with its own rows, no more than it has', async () => {
  const points = toyDataset({ kind: 'pinwheel', n: 150, arms: 5, radialStd: 0.3, tangentialStd: 0.1, rate: 0.25 }, createRng(0, 'data')).points;
  const data = { points, n: 150, dim: 2 };
  const d = (await evaluateSamples(points.slice(0, 2 * 120), data, { score: zeroScore, schedule, seed: 0 })).distances!;
  assert.deepEqual([d.nSamples, d.nReference, d.reference], [120, 120, 'training']);
  const all = (await evaluateSamples(new Float32Array(2 * 400), data, { score: zeroScore, schedule, seed: 0 })).distances!;
  assert.deepEqual([all.nSamples, all.nReference], [150, 150]);
});

test('mixture samples: mode shares, distances, and the Fisher divergence at every schedule level', async () => {
  const mixture = { means: [[2, 0], [-2, 0]], stds: [0.5, 0.5], weights: [0.7, 0.3] };
  const data = gaussianMixtureDataset({ ...mixture, n: 500 }, createRng(0, 'data'));
  const samples = data.draw!(300, createRng(1, 'samples'));
  const trueScore = (x: tf.Tensor2D, sigma: tf.Tensor2D) => perturbedMixtureScoreTensor(mixture, x, sigma);
  const metrics = await evaluateSamples(samples, data, { score: trueScore, schedule, seed: 0 });
  assert.equal(metrics.modeShares!.length, 2);
  assert.equal(metrics.distances!.nSamples, 300);
  assert.deepEqual(metrics.fisher, { nPerLevel: FISHER_POINTS_PER_LEVEL, levels: [{ sigma: 1, value: 0 }, { sigma: 0.1, value: 0 }] });
});
