import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { requireExperimentConfig } from '../../../../src-shared/config';
import type { ExperimentConfigInput } from '../../../../src-shared/config';
import { runExperiment } from '../../../../src-main/engine/run/run-experiment';
import type { RunEvent } from '../../../../src-main/engine/jobs';
import { useEngineBackend } from '../helpers';

useEngineBackend();

const dir = mkdtempSync(join(tmpdir(), 'scorebench-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The default mixture on a budget that runs in about a second. */
const SMALL: ExperimentConfigInput = {
  seed: 3,
  data: { kind: 'gaussian-mixture', n: 800 },
  model: { kind: 'mlp', hidden: [16, 16] },
  train: { steps: 60, batchSize: 64, logEvery: 20 },
  sampler: { kind: 'annealed-langevin', n: 50, stepsPerLevel: 4 },
};

/** Runs `input`, collecting every event; `isCancelled` may look at the events so far. */
async function run(input: ExperimentConfigInput, isCancelled: (events: RunEvent[]) => boolean = () => false) {
  const events: RunEvent[] = [];
  const outcome = await runExperiment(requireExperimentConfig(input), {
    baseDir: dir,
    isCancelled: () => isCancelled(events),
    emit: (e) => events.push(e),
  });
  const of = <T extends RunEvent['type']>(type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  const milestones = events.map((e) => e.type).filter((t) => t !== 'progress' && t !== 'metrics');
  return { events, outcome, of, milestones };
}

test('a run prepares, trains, checkpoints, saves weights, samples and finishes, in that order', async () => {
  const { outcome, of, milestones } = await run(SMALL);
  assert.deepEqual(milestones, ['prepared', 'checkpoint', 'weights', 'samples', 'finished']);

  const [prepared] = of('prepared');
  assert.equal(prepared.schedule.length, 10);
  assert.deepEqual([prepared.trainingData.n, prepared.trainingData.dim, prepared.trainingData.points.length], [800, 2, 1600]);

  const [weights] = of('weights');
  assert.equal(weights.step, 60);
  assert.deepEqual(weights.tensors.map((t) => t.shape), [[3, 16], [16], [16, 16], [16], [16, 2], [2]]);

  const [samples] = of('samples');
  assert.equal(samples.label, 'final');
  assert.ok(samples.points instanceof Float32Array && samples.points.length === 100);
  assert.equal(samples.metrics.n, 50);
  assert.equal(samples.metrics.modeShares?.length, 3);

  const [finished] = of('finished');
  assert.equal(finished.status, 'completed');
  assert.equal(finished.steps, 60);
  assert.ok(finished.trainSeconds > 0 && finished.sampleSeconds > 0);
  assert.equal(outcome.status, 'completed');
});

test('the loss is logged at step 1, every logEvery steps and at the last step, with per-level means', async () => {
  const { of } = await run({ ...SMALL, train: { steps: 50, batchSize: 64, logEvery: 20 } });
  const points = of('metrics').flatMap((m) => m.points);
  const loss = points.filter((p) => p.key === 'loss');
  assert.deepEqual(loss.map((p) => p.step), [1, 20, 40, 50]);
  assert.ok(loss.every((p) => Number.isFinite(p.value) && p.value > 0));
  assert.ok(loss.every((p, i) => i === 0 || p.time >= loss[i - 1].time), 'time does not go backwards');
  const levelKeys = new Set(points.filter((p) => p.key.startsWith('loss/level/')).map((p) => p.key));
  // 64 draws over 10 levels: every level shows up (all missing has probability < 10 · 0.9⁶⁴ ≈ 0.001, and the seed is fixed).
  assert.deepEqual([...levelKeys].sort(), Array.from({ length: 10 }, (_, i) => `loss/level/${i}`).sort());
  assert.equal(of('finished')[0].finalLoss, loss.at(-1)!.value);
});

test('progress goes through training then sampling, each ending at its total', async () => {
  const { of } = await run(SMALL);
  const progress = of('progress');
  const phases = progress.map((p) => p.phase);
  assert.equal(phases.indexOf('sampling'), phases.lastIndexOf('training') + 1);
  const lastTraining = progress.filter((p) => p.phase === 'training').at(-1)!;
  const lastSampling = progress.filter((p) => p.phase === 'sampling').at(-1)!;
  assert.deepEqual([lastTraining.done, lastTraining.total], [60, 60]);
  // 10 levels × 4 steps + the final denoising step.
  assert.deepEqual([lastSampling.done, lastSampling.total], [41, 41]);
});

test('a seeded run repeats exactly: the same losses and the same samples', async () => {
  const losses = (r: Awaited<ReturnType<typeof run>>) => r.of('metrics').flatMap((m) => m.points.map((p) => `${p.key}@${p.step}=${p.value}`));
  const first = await run(SMALL);
  const second = await run(SMALL);
  assert.deepEqual(losses(second), losses(first));
  assert.deepEqual(second.of('samples')[0].points, first.of('samples')[0].points);
  assert.deepEqual(second.of('weights')[0].tensors, first.of('weights')[0].tensors);
  const other = await run({ ...SMALL, seed: 4 });
  assert.notDeepEqual(losses(other), losses(first));
});

test('a run leaves the tensor count where it found it', async () => {
  const before = tf.memory().numTensors;
  await run(SMALL);
  assert.equal(tf.memory().numTensors, before);
});

test('cancelling during training stops there, still sends the weights, and skips sampling', async () => {
  let polls = 0;
  // isCancelled is asked before every step: true on the 21st ask means 20 steps ran.
  const { outcome, of, milestones } = await run(SMALL, () => ++polls > 20);
  assert.deepEqual(milestones, ['prepared', 'checkpoint', 'weights', 'finished']);
  assert.equal(of('weights')[0].step, 20);
  assert.equal(of('checkpoint')[0].checkpoint.step, 20, 'a cancelled run can be resumed where it stopped');
  const [finished] = of('finished');
  assert.deepEqual([finished.status, finished.steps, finished.sampleSeconds], ['cancelled', 20, 0]);
  assert.equal(outcome.status, 'cancelled');
});

test('cancelling during sampling ends the run as cancelled, with the trained weights sent', async () => {
  const { outcome, of, milestones } = await run(SMALL, (events) => events.some((e) => e.type === 'progress' && e.phase === 'sampling'));
  assert.deepEqual(milestones, ['prepared', 'checkpoint', 'weights', 'finished']);
  assert.equal(of('weights')[0].step, 60);
  const [finished] = of('finished');
  assert.deepEqual([finished.status, finished.steps], ['cancelled', 60]);
  assert.equal(outcome.status, 'cancelled');
});

test('a diverging loss fails the run, naming the step', async () => {
  // Coordinates of 1e30 overflow float32 in the squared residual at the very first step.
  writeFileSync(join(dir, 'huge.csv'), '1e30,1e30\n-1e30,2e30\n3e30,-1e30\n');
  const { outcome, of } = await run({ ...SMALL, data: { kind: 'csv', path: 'huge.csv' }, train: { ...SMALL.train, batchSize: 3 } });
  const [failed] = of('failed');
  assert.equal(failed.step, 1);
  assert.match(failed.error, /training diverged: the loss is (NaN|Infinity) at step 1/);
  assert.equal(outcome.status, 'failed');
  assert.equal(of('finished').length, 0);
});

test('a CSV smaller than the batch fails the run before training, naming train.batchSize', async () => {
  writeFileSync(join(dir, 'few.csv'), '1,2\n3,4\n5,6\n');
  const { of } = await run({ ...SMALL, data: { kind: 'csv', path: 'few.csv' } });
  const [failed] = of('failed');
  assert.equal(failed.step, null);
  assert.match(failed.error, /^the config does not fit this data: train\.batchSize: batchSize \(64\) is larger than the data \(3 points\)$/);
  assert.equal(of('prepared').length, 0);
});

test('a bad CSV fails the run before training, with the line in the message', async () => {
  writeFileSync(join(dir, 'header.csv'), 'x,y\n1,2\n');
  const { of } = await run({ ...SMALL, data: { kind: 'csv', path: 'header.csv' } });
  const [failed] = of('failed');
  assert.equal(failed.step, null);
  assert.match(failed.error, /header\.csv: line 1 looks like a header row/);
  assert.equal(of('prepared').length, 0);
});

test('CSV data of any dimension trains and samples, scored by distances to its own rows (no mixture, no known score)', async () => {
  const rows = Array.from({ length: 200 }, (_, i) => [Math.cos(i), Math.sin(i), i / 200].join(','));
  writeFileSync(join(dir, 'helix.csv'), rows.join('\n'));
  const { of } = await run({ ...SMALL, data: { kind: 'csv', path: 'helix.csv' } });
  const [samples] = of('samples');
  assert.deepEqual([samples.n, samples.dim], [50, 3]);
  const { n, distances, modeShares, fisher } = samples.metrics;
  assert.deepEqual([n, modeShares, fisher], [50, undefined, undefined]);
  assert.deepEqual([distances!.nSamples + distances!.nonFinite, distances!.nReference, distances!.reference], [50, distances!.nSamples, 'training']);
});

test('at most 5000 training points are sent for display', async () => {
  const { of } = await run({ ...SMALL, data: { kind: 'gaussian-mixture', n: 6000 }, train: { steps: 2, batchSize: 8 } });
  const { trainingData } = of('prepared')[0];
  assert.deepEqual([trainingData.n, trainingData.points.length], [5000, 10000]);
});
