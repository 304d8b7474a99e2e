/**
 * The weights' exponential moving average: its value after k updates is the closed-form recursion
 * θ̄_k = r^k·θ_0 + (1 − r)·Σ_{j=1..k} r^(k−j)·θ_j, it follows each optimizer step of the fused step,
 * and its state round-trips through a checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExperimentConfig, requireExperimentConfig } from '../../../../src-shared/config';
import { createNetwork } from '../../../../src-main/engine/networks';
import type { ScoreNetwork } from '../../../../src-main/engine/networks';
import { createObjective } from '../../../../src-main/engine/objectives';
import { createRng } from '../../../../src-main/engine/random';
import { buildSchedule } from '../../../../src-main/engine/run/schedule-table';
import { createEma } from '../../../../src-main/engine/training/ema';
import { trainStep } from '../../../../src-main/engine/training/train-step';
import { assertAllClose, useEngineBackend } from '../helpers';

useEngineBackend();

const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [4] } });
const smallNet = (): ScoreNetwork => createNetwork(config.model, 2, createRng(1, 'w'));

/** Every weight, flattened in the network's order. */
const flat = async (net: ScoreNetwork): Promise<number[]> => (await net.getWeights()).flatMap((w) => Array.from(w.data));

/** The recursion in float64: θ̄_0 = θ_0, θ̄_j = r·θ̄_{j−1} + (1 − r)·θ_j. */
function closedForm(thetas: number[][], rate: number): number[] {
  const k = thetas.length - 1;
  return thetas[0].map((_, i) => {
    let sum = rate ** k * thetas[0][i];
    for (let j = 1; j <= k; j++) sum += (1 - rate) * rate ** (k - j) * thetas[j][i];
    return sum;
  });
}

test('after k updates the average is r^k·θ_0 + (1 − r)·Σ r^(k−j)·θ_j, for weights set by hand', async () => {
  const net = smallNet();
  const rate = 0.9;
  const ema = createEma(net, rate);
  const thetas = [await flat(net)];
  for (let j = 1; j <= 12; j++) {
    // θ_j: every weight moved to a value of its own, up and down, so no two steps agree.
    net.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.add(tf.mul(v, -0.8), 0.1 * j + 0.01 * i))));
    thetas.push(await flat(net));
    tf.tidy(() => ema.update());
  }
  const average = (await ema.save()).flatMap((t) => Array.from(t.data));
  // float32: 12 updates of O(1) values, each rounding at ~6e-8.
  assertAllClose(average, closedForm(thetas, rate), 2e-6, 'θ̄_12');
  ema.copyInto(net);
  assert.deepEqual(await flat(net), average, 'copyInto loads the average into the network');
  ema.dispose();
  net.dispose();
});

test('inside the fused step the average follows each optimizer update, with nothing left on the backend', async () => {
  const net = smallNet();
  const objective = createObjective(config.objective, buildSchedule(config));
  const optimizer = tf.train.adam(0.05);
  const rng = createRng(2, 'objective');
  const batch = tf.tensor2d([[0.5, -1], [2, 0.3], [-1.5, 1.2], [0.1, 0.1]]);
  const rate = 0.8;
  const ema = createEma(net, rate);
  const thetas = [await flat(net)];
  let before = 0;
  for (let step = 1; step <= 8; step++) {
    const { loss } = trainStep(net, objective, optimizer, batch, rng, false, ema);
    loss.dispose();
    thetas.push(await flat(net));
    // Adam makes its moment slots at its first step; from then on nothing accumulates.
    if (step === 1) before = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, before, 'the update allocates nothing that outlives the step');
  assertAllClose((await ema.save()).flatMap((t) => Array.from(t.data)), closedForm(thetas, rate), 2e-6, 'θ̄_8');
  assert.notDeepEqual(thetas[8], thetas[0], 'training moved the weights');
  tf.dispose([batch]);
  optimizer.dispose();
  ema.dispose();
  net.dispose();
});

test("the average's state round-trips by the weights' names, and a mismatched one is refused naming the tensor", async () => {
  const net = smallNet();
  const ema = createEma(net, 0.99);
  const saved = await ema.save();
  assert.deepEqual(
    saved.map((t) => t.name),
    (await net.getWeights()).map((w) => w.name),
  );
  const other = createEma(net, 0.99);
  const shifted = saved.map((t) => ({ ...t, data: t.data.map((v) => v + 1) }));
  other.restore(shifted);
  assert.deepEqual((await other.save()), shifted);
  assert.throws(() => other.restore(saved.slice(1)), /checkpoint: the weights' average has no mlp\/hidden0\/kernel/);
  assert.throws(
    () => other.restore([{ ...saved[0], shape: [2, 4] }, ...saved.slice(1)]),
    /checkpoint: the average of mlp\/hidden0\/kernel has shape \[2,4\], expected \[3,4\]/,
  );
  [ema, other].forEach((e) => e.dispose());
  net.dispose();
});

test('train.ema defaults to 0.99, 0 turns it off, a rate in [0, 1), and anything else is refused naming the field', () => {
  assert.equal(requireExperimentConfig({}).train.ema, 0.99);
  assert.equal(requireExperimentConfig({ train: { ema: 0 } }).train.ema, 0);
  assert.equal(requireExperimentConfig({ train: { ema: 0.999 } }).train.ema, 0.999);
  for (const [ema, message] of [
    [1, 'ema must be < 1'],
    [-0.1, 'ema must be ≥ 0'],
    ['0.9', 'ema must be a number'],
  ] as const) {
    const result = parseExperimentConfig({ train: { ema } });
    assert.deepEqual(result.ok ? [] : result.issues, [{ field: 'train.ema', message }], String(ema));
  }
});
