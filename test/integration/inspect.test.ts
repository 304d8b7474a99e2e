/**
 * On-demand engine jobs on a trained run (through the real engine process): weights kept at each
 * checkpoint, samples drawn at a chosen checkpoint and stored under its label, and the score field
 * at a level, checked against the mixture's closed form.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createBackend, type Backend } from '../../src-main/api/backend';
import type { InspectProgress } from '../../src-shared/api';
import { parseExperimentConfig } from '../../src-shared/config';
import { loadDataset } from '../../src-main/engine/data';
import { createRng } from '../../src-main/engine/random';
import { mixtureLogDensity, mixtureScore, perturbedMixture } from '../../src-main/engine/targets';
import { TINY_CONFIG, tempDir } from '../support/fixtures';

const tmp = tempDir();
let backend: Backend;
let runId: number;
/** 40 steps, a checkpoint every 10: weights kept at 10, 20, 30 and 40. */
const CONFIG = { ...TINY_CONFIG, train: { ...TINY_CONFIG.train, checkpointEvery: 10 } };

before(async () => {
  backend = await createBackend({ dbPath: join(tmp.dir, 'inspect.sqlite') });
  const experiment = await backend.call('createExperiment', { name: 'inspect', config: CONFIG });
  runId = (await backend.call('startRun', { experimentId: experiment.id })).id;
  await backend.runs.whenSettled(runId);
  const run = await backend.call('getRun', { runId });
  assert.equal(run.status, 'completed', run.error ?? '');
});

after(async () => {
  await backend?.close();
  tmp.cleanup();
});

test("every checkpoint's weights are kept, and the checkpoint slider lists their steps", async () => {
  assert.deepEqual(await backend.call('listCheckpointSteps', { runId }), [10, 20, 30, 40]);
});

test('samples at the last checkpoint with the run’s n are the final samples: same weights, same seeds', async () => {
  const final = (await backend.call('getSampleSet', { runId, label: 'final' }))!;
  const again = await backend.call('sampleCheckpoint', { runId, step: 40, n: final.n });
  assert.equal(again.label, 'checkpoint/40');
  assert.deepEqual(again.points, final.points);
  assert.deepEqual(again.metrics, final.metrics, 'the same metrics, computed the same way');
});

test('samples at an earlier checkpoint are drawn on demand with progress, stored under checkpoint/<step>, and listed without points', async () => {
  const seen: InspectProgress[] = [];
  const unsubscribe = backend.events.subscribe((e) => {
    if (e.name === 'inspectProgress') seen.push(e.payload);
  });
  const set = await backend.call('sampleCheckpoint', { runId, step: 10 });
  unsubscribe();
  assert.equal(set.n, 100, "the run's sampler.n (100) is below the default cap");
  assert.equal(set.points.length, 200);
  assert.ok(set.points.every(Number.isFinite));
  assert.equal(set.metrics.n, 100);
  assert.ok(seen.length >= 2 && seen.every((p) => p.runId === runId && p.job === 'checkpoint/10'));
  assert.equal(seen.at(-1)!.done, seen.at(-1)!.total, 'the last progress event reports the sampler done');
  const final = (await backend.call('getSampleSet', { runId, label: 'final' }))!;
  assert.notDeepEqual(set.points, final.points, 'other weights, other samples');

  assert.deepEqual(await backend.call('getSampleSet', { runId, label: 'checkpoint/10' }), set);
  const listed = await backend.call('listSampleSets', { runId });
  const labels = listed.map((s) => s.label);
  assert.ok(labels.includes('final') && labels.includes('checkpoint/10') && labels.includes('checkpoint/40'), labels.join(' '));
  assert.ok(listed.every((s) => !('points' in s) && s.n > 0 && typeof s.createdAt === 'string'));
});

test('the score field holds the learned score on the grid, the true score of the perturbed mixture, and its density', async () => {
  const grid = 8;
  const level = 4;
  const field = await backend.call('getScoreField', { runId, level, grid });
  const schedule = await backend.call('getSchedule', { runId });
  assert.equal(field.step, 40, 'the last weights by default');
  assert.equal(field.sigma, schedule[level].sigma);
  assert.equal(field.learned.length, grid * grid * 2);
  assert.ok(field.learned.every(Number.isFinite));
  assert.equal(field.box.x[1] - field.box.x[0], field.box.y[1] - field.box.y[0], 'square cells');

  // The true score and density against the closed form at the run's own mixture.
  const parsed = parseExperimentConfig(CONFIG);
  assert.ok(parsed.ok);
  const data = await loadDataset(parsed.config.data, { rng: createRng(parsed.config.seed, 'data'), baseDir: tmp.dir });
  const mixture = perturbedMixture(data.mixture!, field.sigma);
  const cell = (field.box.x[1] - field.box.x[0]) / grid;
  // Arrow (i = 2, j = 5); the engine's grid points are float32.
  const point = [field.box.x[0] + 2.5 * cell, field.box.y[0] + 5.5 * cell].map(Math.fround);
  const expected = mixtureScore(mixture, point);
  const at = (5 * grid + 2) * 2;
  assert.ok(Math.abs(field.true![at] - expected[0]) < 1e-9 && Math.abs(field.true![at + 1] - expected[1]) < 1e-9, `${field.true![at]} vs ${expected[0]}`);
  const r = field.density.resolution;
  const dcell = (field.box.x[1] - field.box.x[0]) / r;
  const densityAt = field.density.values[3 * r + 7];
  const densityPoint = [field.box.x[0] + 7.5 * dcell, field.box.y[0] + 3.5 * dcell].map(Math.fround);
  assert.ok(Math.abs(densityAt - Math.exp(mixtureLogDensity(mixture, densityPoint))) < 1e-12);
  assert.equal(field.density.source, 'mixture');
  // A density: its Riemann sum over the box is at most 1, and most of the mass lies inside at this σ.
  const mass = field.density.values.reduce((a, b) => a + b, 0) * dcell * dcell;
  assert.ok(mass > 0.5 && mass < 1.0001, `mass ${mass}`);
});

test('a level past the schedule and a step without weights are refused, naming the field', async () => {
  await assert.rejects(backend.call('getScoreField', { runId, level: 10 }), /level: must be below 10/);
  await assert.rejects(backend.call('sampleCheckpoint', { runId, step: 15 }), /step: run \d+ has no weights kept at step 15 \(kept: 10, 20, 30, 40\)/);
  await assert.rejects(backend.call('getScoreField', { runId, level: 0, step: 5 }), /step: .*step 5/);
});
