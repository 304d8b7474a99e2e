import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../../src-shared/config';
import { createNetwork } from '../../../../src-main/engine/networks';
import { createObjective } from '../../../../src-main/engine/objectives';
import { createRng } from '../../../../src-main/engine/random';
import { buildSchedule } from '../../../../src-main/engine/run/schedule-table';
import { learningRateAt, setLearningRate } from '../../../../src-main/engine/training/lr-schedule';
import { trainStep } from '../../../../src-main/engine/training/train-step';
import { assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

test('the cosine schedule starts at lr, halves at mid-run and approaches 0 at the end', () => {
  const train = { lr: 0.01, lrSchedule: 'cosine' as const, steps: 100 };
  assertClose(learningRateAt(train, 1), 0.01, 1e-15, 'step 1');
  assertClose(learningRateAt(train, 51), 0.005, 1e-15, 'step 51');
  assertClose(learningRateAt(train, 100), 0.01 * 0.5 * (1 + Math.cos((Math.PI * 99) / 100)), 1e-15, 'step 100');
  assert.equal(learningRateAt({ ...train, lrSchedule: 'constant' }, 77), 0.01);
});

test("a scheduled rate is the one Adam's next update uses", () => {
  // With a constant gradient g, Adam's bias-corrected step is lr·g/(|g| + ε) ≈ lr.
  const w = tf.variable(tf.scalar(1));
  const adam = tf.train.adam(0.1);
  const loss = () => tf.mul(w, 3) as tf.Scalar;
  adam.minimize(loss);
  assertClose(w.dataSync()[0], 0.9, 1e-6, 'after a step at 0.1');
  setLearningRate(adam, 0.01);
  adam.minimize(loss);
  assertClose(w.dataSync()[0], 0.89, 1e-6, 'after a step at 0.01');
  adam.dispose();
  w.dispose();
});

/** A network, the default DSM objective and Adam, on a fixed batch of `n` points with the given std. */
function rig(hidden: number[], lr: number, n: number, std: number) {
  const config = requireExperimentConfig({ model: { kind: 'mlp', hidden } });
  const net = createNetwork(config.model, 2, createRng(0, 'w'));
  const objective = createObjective(config.objective, buildSchedule(config));
  const optimizer = tf.train.adam(lr);
  const rng = createRng(0, 'objective');
  const batch = tf.tidy(() => tf.mul(tf.randomNormal([n, 2], 0, 1, 'float32', 1), std) as tf.Tensor2D);
  return {
    /** One step (keeping the per-sample losses when asked, as logged steps do); returns the loss. */
    step(keepPerSample: boolean): number {
      const { loss, perSample } = trainStep(net, objective, optimizer, batch, rng, keepPerSample);
      const value = loss.dataSync()[0];
      tf.dispose([loss, perSample?.losses]);
      return value;
    },
    dispose() {
      tf.dispose(batch);
      optimizer.dispose();
      net.dispose();
    },
  };
}

test('a training step leaves the tensor count unchanged (after the optimizer’s first-step slots)', () => {
  const r = rig([16, 16], 1e-3, 32, 1);
  r.step(true); // Adam creates its moment variables on the first update
  const after1 = tf.memory().numTensors;
  for (let i = 0; i < 30; i++) r.step(i % 3 === 0);
  assert.equal(tf.memory().numTensors, after1);
  r.dispose();
});

test('training lowers the DSM loss (the gradient points downhill)', () => {
  const r = rig([32, 32], 1e-2, 512, 3);
  const losses = Array.from({ length: 150 }, () => r.step(false));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // An untrained net's loss is ≈ ½E‖f + z‖² ≥ ½·D = 1 (f independent of z); a fitted one is well
  // below. Compared with the first step's, at the initial weights: Adam at 1e-2 has already fitted
  // much within 20 steps.
  assert.ok(losses[0] >= 0.9, `first loss ${losses[0]}`);
  assert.ok(mean(losses.slice(-20)) < 0.8 * losses[0], `first ${losses[0]}, last ${mean(losses.slice(-20))}`);
  r.dispose();
});
