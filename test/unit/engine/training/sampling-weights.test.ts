/**
 * The weights kept for the checkpoint slider are the ones the run samples with: with `train.ema`,
 * the moving average the engine stores among a checkpoint's states. The host picks them by name
 * (it never loads TensorFlow), so this guards the naming both sides rely on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { samplingWeights } from '../../../../src-main/api/weight-snapshots';
import { requireExperimentConfig, type ModelConfig } from '../../../../src-shared/config';
import { captureCheckpoint } from '../../../../src-main/engine/checkpoint';
import { createNetwork } from '../../../../src-main/engine/networks';
import { createRng } from '../../../../src-main/engine/random';
import { createEma } from '../../../../src-main/engine/training/ema';
import { useEngineBackend } from '../helpers';

useEngineBackend();

test("a checkpoint with a weights' average gives the average to sample with; one without gives its weights", async () => {
  const model = requireExperimentConfig({ model: { kind: 'mlp', hidden: [4] } }).model as ModelConfig;
  const net = createNetwork(model, 2, createRng(0, 'weights'));
  const optimizer = tf.train.adam(0.01);
  const ema = createEma(net, 0.5);
  try {
    // Move the weights away from the average: the two must differ for the test to tell them apart.
    net.variables.forEach((v) => v.assign(tf.add(v, 1)));
    const plain = await captureCheckpoint({ step: 1, trainSeconds: 0, loss: null }, net, optimizer, {});
    assert.deepEqual(samplingWeights(plain), plain.weights);

    const averaged = await captureCheckpoint({ step: 1, trainSeconds: 0, loss: null }, net, optimizer, {}, { ema });
    const picked = samplingWeights(averaged);
    assert.deepEqual(
      picked.map((w) => w.name),
      averaged.weights.map((w) => w.name),
    );
    assert.deepEqual(
      picked.map((w) => Array.from(w.data)),
      (await ema.save()).map((t) => Array.from(t.data)),
    );
    assert.notDeepEqual(
      picked.map((w) => Array.from(w.data)),
      averaged.weights.map((w) => Array.from(w.data)),
    );
  } finally {
    ema.dispose();
    optimizer.dispose();
    net.dispose();
  }
});
