/**
 * Checkpoints and resume, in process: a run stopped at a checkpoint and resumed from it goes on
 * exactly as the run that never stopped (same batches, noise, Adam state), and a diverging run
 * fails at the step it diverged, having sent only finite checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from '../../../src-shared/config';
import { createRng } from '../../../src-main/engine/random';
import type { RunEvent } from '../../../src-main/engine/jobs';
import { runExperiment } from '../../../src-main/engine/run/run-experiment';
import type { TrainingCheckpoint } from '../../../src-main/engine/types';
import { useEngineBackend } from './helpers';

useEngineBackend();

const SMALL: ExperimentConfigInput = {
  seed: 5,
  data: { kind: 'gaussian-mixture', n: 600 },
  model: { kind: 'mlp', hidden: [16, 16] },
  // Without the weights' average (its default is on): the tests below switch it on where they mean it.
  train: { steps: 60, batchSize: 32, logEvery: 5, checkpointEvery: 20, ema: 0 },
  sampler: { kind: 'annealed-langevin', n: 40, stepsPerLevel: 3 },
};

async function run(config: ExperimentConfig, opts: { resume?: TrainingCheckpoint; cancelAfter?: number } = {}) {
  const events: RunEvent[] = [];
  let polls = 0;
  const outcome = await runExperiment(config, {
    baseDir: __dirname,
    // isCancelled is asked before every step: true on ask k + 1 means k steps ran.
    isCancelled: () => opts.cancelAfter !== undefined && ++polls > opts.cancelAfter,
    emit: (e) => events.push(e),
    resume: opts.resume,
  });
  const of = <T extends RunEvent['type']>(type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  const losses = of('metrics')
    .flatMap((m) => m.points)
    .filter((p) => p.key === 'loss');
  return { outcome, of, losses };
}

test('a random stream restored from its state goes on with the same numbers, spare normal included', () => {
  const a = createRng(9, 'objective');
  a.normal(); // leaves a spare normal waiting
  const state = a.getState();
  assert.notEqual(state.spare, null);
  const b = createRng(123, 'other');
  b.setState(JSON.parse(JSON.stringify(state)));
  const draw = (r: typeof a) => [r.normal(), r.uniform(), r.int(1000), ...r.normals(5)];
  assert.deepEqual(draw(b), draw(a));
  assert.throws(() => b.setState({ words: [1, 2, 3], spare: null }), /four 32-bit words/);
  assert.throws(() => b.setState({ words: [0, 0, 0, 0], spare: null }), /all four words are zero/);
  assert.throws(() => b.setState({ words: [1, 2, 3, 2 ** 32], spare: null }), /four 32-bit words/);
});

test('checkpoints come every checkpointEvery steps and at the end, after the points they follow', async () => {
  const { of, outcome } = await run(requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, steps: 50 } }));
  assert.equal(outcome.status, 'completed');
  const checkpoints = of('checkpoint').map((e) => e.checkpoint);
  assert.deepEqual(
    checkpoints.map((c) => c.step),
    [20, 40, 50],
  );
  const last = checkpoints.at(-1)!;
  assert.deepEqual(Object.keys(last.rng).sort(), ['batches', 'objective']);
  // Adam: the step count, a first and a second moment per variable, and its running β powers.
  assert.equal(last.optimizer.length, 1 + 2 * last.weights.length + 2);
  assert.equal(last.optimizer[0].data[0], 50);
  assert.equal(last.loss, outcome.finalLoss);
});

test('a run resumed from its checkpoint continues exactly as the run that never stopped', async () => {
  const config = requireExperimentConfig(SMALL);
  const whole = await run(config);
  const stopped = await run(config, { cancelAfter: 33 });
  assert.equal(stopped.outcome.status, 'cancelled');
  const checkpoint = stopped.of('checkpoint').at(-1)!.checkpoint;
  assert.equal(checkpoint.step, 33, 'cancelling checkpoints where it stopped');

  const before = tf.memory().numTensors;
  const resumed = await run(config, { resume: checkpoint });
  assert.equal(tf.memory().numTensors, before, 'restoring leaks no tensors');
  assert.equal(resumed.outcome.status, 'completed');
  assert.deepEqual(
    resumed.losses.map((p) => p.step),
    [35, 40, 45, 50, 55, 60],
    'steps go on from the checkpoint',
  );
  assert.deepEqual(
    resumed.losses.map((p) => p.value),
    whole.losses.filter((p) => p.step > 33).map((p) => p.value),
    'the same losses, bit for bit: batches, noise and Adam state were restored',
  );
  assert.deepEqual(resumed.of('weights')[0].tensors, whole.of('weights')[0].tensors);
  assert.deepEqual(resumed.outcome.samples, whole.outcome.samples);
  // Metric times go on from the checkpoint's.
  assert.ok(resumed.losses[0].time >= checkpoint.trainSeconds);
});

test('a huge learning rate diverges: the run fails naming the step, the last good checkpoint resumes with other settings', async () => {
  const healthy = requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, steps: 400, lrSchedule: 'constant', checkpointEvery: 10, logEvery: 1000 } });
  const stopped = await run(healthy, { cancelAfter: 40 });
  const good = stopped.of('checkpoint').at(-1)!.checkpoint;
  assert.equal(good.step, 40);

  // The schema caps lr at 1, and Adam's steps are bounded by lr, so nothing valid overflows this
  // small network: the engine is driven directly with a config past the cap.
  const reckless = structuredClone(healthy);
  reckless.train.lr = 1e7;
  const diverged = await run(reckless, { resume: good });
  assert.equal(diverged.outcome.status, 'failed');
  const [failed] = diverged.of('failed');
  // Losses are read back only every 1000 steps here: the parameter check at the next checkpoint catches it.
  assert.equal(failed.step, 50);
  assert.match(failed.error, /^training diverged: (parameter|optimizer state) \S*mlp\/\S+\[\d+\] is (NaN|-?Infinity) at step 50$/);
  assert.equal(diverged.of('checkpoint').length, 0, 'no checkpoint with non-finite parameters is sent');

  // The last good checkpoint resumes with other settings, and completes.
  const calmer = requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, steps: 80, lr: 1e-3 } });
  const resumed = await run(calmer, { resume: good });
  assert.equal(resumed.outcome.status, 'completed', resumed.outcome.error);
  assert.equal(resumed.outcome.steps, 80);
  assert.ok(resumed.losses.every((p) => Number.isFinite(p.value)));
});

test('a checkpoint of another network is refused, naming the tensor', async () => {
  const { of } = await run(requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, steps: 20 } }));
  const checkpoint = of('checkpoint')[0].checkpoint;
  const wider = requireExperimentConfig({ ...SMALL, model: { kind: 'mlp', hidden: [32, 16] } });
  const refused = await run(wider, { resume: checkpoint });
  assert.equal(refused.outcome.status, 'failed');
  assert.match(refused.outcome.error ?? '', /weights: mlp\/hidden0\/kernel has shape \[3,16\], expected \[3,32\]/);
});

test('with train.ema a resumed run ends with bit-identical averaged weights and samples, and keeps and samples with the average', async () => {
  const config = requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, ema: 0.9 } });
  const whole = await run(config);
  const stopped = await run(config, { cancelAfter: 33 });
  const checkpoint = stopped.of('checkpoint').at(-1)!.checkpoint;
  const averageIn = (c: TrainingCheckpoint) => c.optimizer.filter((t) => t.name.startsWith('state/ema/'));
  assert.equal(averageIn(checkpoint).length, checkpoint.weights.length, 'the checkpoint holds the average of every weight');

  const before = tf.memory().numTensors;
  const resumed = await run(config, { resume: checkpoint });
  assert.equal(tf.memory().numTensors, before, 'the average is freed with the run');
  assert.equal(resumed.outcome.status, 'completed');
  assert.deepEqual(resumed.of('weights')[0].tensors, whole.of('weights')[0].tensors, 'bit for bit');
  assert.deepEqual(resumed.outcome.samples, whole.outcome.samples);

  // The weights kept at the end are the average (the last checkpoint's), not the last step's.
  const last = whole.of('checkpoint').at(-1)!.checkpoint;
  const kept = whole.of('weights')[0].tensors;
  assert.deepEqual(
    kept.map((t) => t.data),
    averageIn(last).map((t) => t.data),
  );
  assert.notDeepEqual(
    kept.map((t) => t.data),
    last.weights.map((t) => t.data),
  );
  // And the samples come from them: the same run without the average samples elsewhere.
  const plain = await run(requireExperimentConfig(SMALL));
  assert.deepEqual(plain.of('checkpoint').at(-1)!.checkpoint.weights, last.weights, 'the average does not change training');
  assert.notDeepEqual(plain.outcome.samples, whole.outcome.samples);
});

test('a checkpoint without the average resumes with train.ema switched on: the average starts from its weights', async () => {
  const plain = requireExperimentConfig(SMALL);
  const stopped = await run(plain, { cancelAfter: 33 });
  const checkpoint = stopped.of('checkpoint').at(-1)!.checkpoint;
  const averaged = await run(requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, steps: 34, ema: 0.5 } }), { resume: checkpoint });
  const raw = await run(requireExperimentConfig({ ...SMALL, train: { ...SMALL.train, steps: 34 } }), { resume: checkpoint });
  assert.equal(averaged.outcome.status, 'completed', averaged.outcome.error);
  // One step on from θ_33: θ̄ = ½·θ_33 + ½·θ_34.
  const theta34 = raw.of('weights')[0].tensors;
  averaged.of('weights')[0].tensors.forEach((t, i) =>
    t.data.forEach((v, j) => assert.ok(Math.abs(v - (checkpoint.weights[i].data[j] + theta34[i].data[j]) / 2) < 1e-6, `${t.name}[${j}]`)),
  );
});
