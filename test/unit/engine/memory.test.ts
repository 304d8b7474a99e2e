import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../src-shared/config';
import { createNetwork } from '../../../src-main/engine/networks';
import { createObjective } from '../../../src-main/engine/objectives';
import { createRng } from '../../../src-main/engine/random';
import { buildSchedule, sigmasOf } from '../../../src-main/engine/run/schedule-table';
import { sampleChains } from '../../../src-main/engine/samplers';
import { trainStep } from '../../../src-main/engine/training/train-step';
import { useEngineBackend } from './helpers';

useEngineBackend();

/** The benchmark's network (sinusoidal embedding, SIMD softplus, explicit-transpose layers), small. */
const config = requireExperimentConfig({
  model: { kind: 'mlp', hidden: [32, 32, 32], conditioning: 'sinusoidal', embeddingDim: 8 },
  sampler: { kind: 'annealed-langevin', stepsPerLevel: 20, n: 300, finalDenoise: true },
});

test('tensor count and bytes stay flat over many training steps and sampler steps', async () => {
  const schedule = buildSchedule(config);
  const net = createNetwork(config.model, 2, createRng(0, 'w'));
  const objective = createObjective(config.objective, schedule);
  const optimizer = tf.train.adam(1e-3);
  const rng = createRng(0, 'objective');
  const batch = tf.tensor2d(createRng(1, 'data').normals(128 * 2), [128, 2]);
  const step = (keep: boolean) => {
    const { loss, perSample } = trainStep(net, objective, optimizer, batch, rng, keep);
    tf.dispose([loss, perSample?.losses]);
  };
  step(true); // Adam creates its moment variables on the first update
  const afterFirst = tf.memory();
  for (let i = 0; i < 300; i++) step(i % 7 === 0);
  assert.equal(tf.memory().numTensors, afterFirst.numTensors, 'tensors after 300 training steps');
  assert.equal(tf.memory().numBytes, afterFirst.numBytes, 'bytes after 300 training steps');

  const init = new Float32Array(config.sampler.n * 2);
  let done = 0;
  await sampleChains(net.score, init, sigmasOf(schedule), { config: config.sampler, dim: 2, rng: createRng(2, 'sampler') }, () => {
    done++;
  });
  assert.equal(done, schedule.length * 20 + 1);
  assert.equal(tf.memory().numTensors, afterFirst.numTensors, `tensors after ${done} sampler steps`);
  assert.equal(tf.memory().numBytes, afterFirst.numBytes, `bytes after ${done} sampler steps`);
  tf.dispose(batch);
  optimizer.dispose();
  net.dispose();
});
