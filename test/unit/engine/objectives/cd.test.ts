/**
 * Contrastive divergence: the loss's expected gradient in closed form for a quadratic energy, the
 * gradient's stop through the Langevin chains, central differences on the energy MLP, the fixed
 * point that CD with unadjusted Langevin chains trains a Gaussian energy to, the replay buffer's
 * semantics, and an exact resume with the buffer in the checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig, type ExperimentConfigInput } from '../../../../src-shared/config';
import { createNetwork } from '../../../../src-main/engine/networks';
import type { ScoreNetwork } from '../../../../src-main/engine/networks';
import { cdLoss, createCd } from '../../../../src-main/engine/objectives/cd';
import { ReplayBuffer } from '../../../../src-main/engine/objectives/replay-buffer';
import { createRng } from '../../../../src-main/engine/random';
import type { RunEvent } from '../../../../src-main/engine/jobs';
import { runExperiment } from '../../../../src-main/engine/run/run-experiment';
import { trainStep } from '../../../../src-main/engine/training/train-step';
import type { TrainingCheckpoint } from '../../../../src-main/engine/types';
import { assertAllClose, assertClose, assertMatchesCentralDifferences, gradientsOf, useEngineBackend } from '../helpers';

useEngineBackend();

type CdConfig = Extract<ReturnType<typeof requireExperimentConfig>['objective'], { kind: 'cd' }>;

function cdConfig(input: object): CdConfig {
  return requireExperimentConfig({ model: { kind: 'energy-mlp' }, objective: { kind: 'cd', ...input }, train: { batchSize: 8 } }).objective as CdConfig;
}

/** E_a(x) = ½·a·‖x‖² at every σ (τ = 1): p_a = N(0, I/a), score −a·x. A ScoreNetwork with one weight, a. */
function quadraticEnergy(a0: number): ScoreNetwork & { a: tf.Variable } {
  const a = tf.variable(tf.scalar(a0));
  return {
    a,
    variables: [a],
    energy: (x) => tf.tidy(() => tf.mul(tf.mul(0.5, a), tf.sum(tf.square(x), 1))),
    score: (x) => tf.tidy(() => tf.mul(tf.neg(a), x)),
    weightNames: ['a'],
    getWeights: async () => [{ name: 'a', shape: [], data: Float32Array.from(await a.data()) }],
    setWeights: (w) => tf.tidy(() => a.assign(tf.scalar(w[0].data[0]))),
    dispose: () => a.dispose(),
  };
}

test('cd loss with exact negatives: its expected gradient vanishes at the true energy and elsewhere is ½D(1/a* − 1/a) + the regulariser’s', () => {
  // Positives from N(0, I/a*), negatives exact samples of the model N(0, I/a), D = 2:
  //   ∂/∂a E[E⁺ − E⁻] = ½E‖x⁺‖² − ½E‖x⁻‖² = ½D(1/a* − 1/a),
  //   ∂/∂a α·E[E⁺² + E⁻²] = α·(a/2)·(E‖x⁺‖⁴ + E‖x⁻‖⁴),  E‖x‖⁴ = D(D + 2)·v² for N(0, v·I).
  const [dim, n, aTrue] = [2, 40_000, 1.5];
  const rng = createRng(1, 'cd-closed-form');
  const draw = (variance: number) => tf.tensor2d(Array.from(rng.normals(n * dim), (v) => v * Math.sqrt(variance)), [n, dim]);
  const gradientAt = (a: number, regularization: number) => {
    const model = quadraticEnergy(a);
    const [positives, negatives, sigma] = [draw(1 / aTrue), draw(1 / a), tf.ones([n, 1]) as tf.Tensor2D];
    const g = tf.tidy(() => tf.grad(() => tf.mean(cdLoss(model.energy!, positives, negatives, sigma, regularization)))(model.a).dataSync()[0]);
    tf.dispose([positives, negatives, sigma]);
    model.dispose();
    return g;
  };
  // Each row's ½(‖x⁺‖² − ‖x⁻‖²) has variance D/a² at the truth: the mean's deviation is √(D/n)/a ≈ 0.005.
  const tolerance = 4 * Math.sqrt(dim / n) / aTrue;
  assertClose(gradientAt(aTrue, 0), 0, tolerance, 'gradient at the true energy');
  const a = 3;
  assertClose(gradientAt(a, 0), 0.5 * dim * (1 / aTrue - 1 / a), tolerance, 'gradient at a = 3');
  const alpha = 0.1;
  const fourth = (v: number) => dim * (dim + 2) * v * v;
  // The regulariser's term has a standard deviation of ≈ α·(a/2)·√(var‖x‖⁴/n) ≲ 0.01 here.
  assertClose(gradientAt(a, alpha), 0.5 * dim * (1 / aTrue - 1 / a) + alpha * (a / 2) * (fourth(1 / aTrue) + fourth(1 / a)), 3 * tolerance, 'with α = 0.1');
});

test('cd with unadjusted Langevin chains from a persistent buffer trains a Gaussian energy to the chains’ own fixed point, in closed form', () => {
  // Data N(0, s²) at one level σ: positives have variance v⁺ = s² + σ². Chains on E_a = ½ax² with
  // x ← x + (α/2)(−ax) + √α·z (α = stepSize·σ²) settle at variance v(a) = α/(1 − (1 − αa/2)²) =
  // 1/(a(1 − αa/4)), not 1/a; CD stops where v(a) = v⁺: a = (2/α)(1 − √(1 − α/v⁺)), 0.586 here
  // against the exact precision 1/v⁺ = 0.5. The step is large on purpose, so the two differ.
  const [s, sigma, stepSize, n] = [1, 1, 1, 512];
  const alpha = stepSize * sigma * sigma;
  const vPlus = s * s + sigma * sigma;
  const fixedPoint = (2 / alpha) * (1 - Math.sqrt(1 - alpha / vPlus));
  const config = cdConfig({ langevinSteps: 5, stepSize, regularization: 0, bufferSize: n, reinitFraction: 0 });
  const objective = createCd(config, [{ level: 0, sigma, alpha: 0, weight: 1 }], { lo: [-3], hi: [3] });
  const model = quadraticEnergy(1);
  const optimizer = tf.train.adam(0.01);
  const rng = createRng(2, 'objective');
  const data = createRng(2, 'batches');
  const trace: number[] = [];
  for (let step = 0; step < 800; step++) {
    const batch = tf.tensor2d(Array.from(data.normals(n), (v) => s * v), [n, 1]);
    const { loss } = trainStep(model, objective, optimizer, batch, rng, false);
    tf.dispose([batch, loss]);
    trace.push(model.a.dataSync()[0]);
  }
  const late = trace.slice(-300);
  const mean = late.reduce((x, y) => x + y, 0) / late.length;
  assertClose(mean, fixedPoint, 0.01, 'a, averaged over the last 300 steps');
  assert.ok(Math.abs(mean - 1 / vPlus) > 0.05, `the chains' bias is resolved: ${mean} is not the exact precision ${1 / vPlus}`);
  optimizer.dispose();
  model.dispose();
});

const POINTS = [
  [0.3, -0.8],
  [1.1, 0.4],
  [-0.6, 1.5],
  [-1.2, -0.9],
];

for (const activation of ['softplus', 'swish'] as const) {
  test(`${activation} energy, cd: the gradient in θ is cd loss’s at the chains’ end points held fixed, and matches its central differences`, async () => {
    // One level and weight 1, so the loss is Σ over positives minus Σ over negatives (+ α's terms):
    // the negatives' order does not matter, and the buffer's slots hold exactly the chains' ends.
    const sigma = 0.8;
    const n = POINTS.length;
    const config = cdConfig({ langevinSteps: 4, stepSize: 0.2, regularization: 0.3, bufferSize: 8 });
    const objective = createCd(config, [{ level: 0, sigma, alpha: 0, weight: 1 }], { lo: [-2, -2], hi: [2, 2] });
    const net = createNetwork(requireExperimentConfig({ model: { kind: 'energy-mlp', hidden: [8, 8], activation, temperature: 0.5 } }).model, 2, createRng(3, 'weights'));
    const x = tf.tensor2d(POINTS);
    const analytic = gradientsOf(() => tf.mean(objective.sampleLoss(net, x, createRng(11, 'objective')).perSample) as tf.Scalar, net.variables);

    // The positives x + σz, z drawn after the levels (perLevelObjective's order), and the negatives
    // the call wrote to the buffer.
    const rng = createRng(11, 'objective');
    for (let j = 0; j < n; j++) rng.int(1);
    const z = rng.normals(n * 2);
    const positives = tf.tensor2d(POINTS.flat().map((v, i) => v + sigma * z[i]), [n, 2]);
    const [points, filled] = await objective.state!.save();
    const ends = Array.from(filled.data).flatMap((f, slot) => (f ? Array.from(points.data.slice(slot * 2, slot * 2 + 2)) : []));
    assert.equal(ends.length, n * 2, 'one chain per row');
    const negatives = tf.tensor2d(ends, [n, 2]);
    const sigmas = tf.fill([n, 1], sigma) as tf.Tensor2D;
    const fixedLoss = () => tf.mean(cdLoss(net.energy!, positives, negatives, sigmas, config.regularization)) as tf.Scalar;
    const atFixed = gradientsOf(fixedLoss, net.variables);
    assertAllClose(analytic.flat(), atFixed.flat(), 1e-5, "the objective's gradient against the fixed negatives'");
    assertMatchesCentralDifferences(net.variables, fixedLoss, atFixed);
    tf.dispose([x, positives, negatives, sigmas]);
    net.dispose();
  });
}

const BOX = { lo: [-1, 10], hi: [1, 12] };
const inBox = (p: ArrayLike<number>) => p[0] >= -1 && p[0] <= 1 && p[1] >= 10 && p[1] <= 12;

test('replay buffer: empty slots start from uniform noise over the box; each chain takes a distinct slot of its own level', () => {
  const buffer = new ReplayBuffer(3, 5, 2, BOX, 0);
  const level = Int32Array.from([2, 0, 2, 2, 1, 2, 2]);
  const { starts, slots } = buffer.draw(level, createRng(1, 'b'));
  assert.equal(new Set(slots).size, slots.length, 'distinct slots');
  slots.forEach((slot, j) => assert.equal(Math.floor(slot / 5), level[j], `row ${j}'s slot is in level ${level[j]}'s block`));
  for (let j = 0; j < level.length; j++) assert.ok(inBox(starts.subarray(2 * j, 2 * j + 2)), `row ${j} starts in the box`);
  assert.throws(() => buffer.draw(Int32Array.from([1, 1, 1, 1, 1, 1]), createRng(1, 'b')), /6 chains at level 1 for 5 slots \(objective.bufferSize must be ≥ train.batchSize\)/);
});

test('replay buffer: chains start where the last chain in their slot ended, but a reinitFraction of them restart from noise', () => {
  const [size, fraction] = [400, 0.25];
  const buffer = new ReplayBuffer(1, size, 2, BOX, fraction);
  const rng = createRng(2, 'b');
  // Fill every slot with a point outside the box, tagged by its slot.
  const all = Int32Array.from({ length: size }, (_, i) => i);
  buffer.write(all, Float32Array.from({ length: 2 * size }, (_, i) => (i % 2 === 0 ? 100 + (i >> 1) : -50)));
  let restarts = 0;
  let draws = 0;
  for (let round = 0; round < 20; round++) {
    const { starts, slots } = buffer.draw(new Int32Array(size / 2), rng);
    slots.forEach((slot, j) => {
      const start = starts.subarray(2 * j, 2 * j + 2);
      if (inBox(start)) restarts++;
      else assert.deepEqual(Array.from(start), [100 + slot, -50], `slot ${slot} resumes its own point`);
      draws++;
    });
  }
  // Binomial(4000, 0.25): standard deviation √(4000·0.25·0.75) ≈ 27.
  assert.ok(Math.abs(restarts - fraction * draws) < 4 * Math.sqrt(draws * fraction * (1 - fraction)), `${restarts} restarts in ${draws} draws`);
  // Writing back replaces exactly the slots drawn.
  const { slots } = buffer.draw(new Int32Array(3), rng);
  buffer.write(slots, Float32Array.from([1, 2, 3, 4, 5, 6]));
  slots.forEach((slot, j) => assert.deepEqual(Array.from(buffer.slot(slot)!), [2 * j + 1, 2 * j + 2]));
  assert.equal(all.filter((slot) => buffer.slot(slot)![1] === -50).length, size - 3, 'every other slot keeps its point');
});

test('replay buffer: a restored buffer draws what the saved one would', async () => {
  const a = new ReplayBuffer(2, 6, 2, BOX, 0.3);
  const rng = createRng(3, 'b');
  for (let i = 0; i < 4; i++) {
    const { slots } = a.draw(Int32Array.from([0, 1, 1]), rng);
    a.write(slots, Float32Array.from({ length: 6 }, () => rng.normal()));
  }
  const b = new ReplayBuffer(2, 6, 2, BOX, 0.3);
  b.restore(await a.save());
  const state = rng.getState();
  const other = createRng(0, 'x');
  other.setState(state);
  assert.deepEqual(b.draw(Int32Array.from([1, 0, 1]), other), a.draw(Int32Array.from([1, 0, 1]), rng));
  const saved = await a.save();
  assert.throws(() => new ReplayBuffer(2, 7, 2, BOX, 0.3).restore(saved), /points has shape \[2,6,2\], expected \[2,7,2\]/);
});

test('a cd training step leaves the tensor count unchanged', () => {
  const config = requireExperimentConfig({ model: { kind: 'energy-mlp', hidden: [16] }, objective: { kind: 'cd', langevinSteps: 3, bufferSize: 64 }, train: { batchSize: 32 } });
  const net = createNetwork(config.model, 2, createRng(0, 'w'));
  const objective = createCd(config.objective as CdConfig, [0.5, 1, 2].map((sigma, level) => ({ level, sigma, alpha: 0, weight: sigma })), { lo: [-2, -2], hi: [2, 2] });
  const optimizer = tf.train.adam(1e-3);
  const rng = createRng(0, 'objective');
  const batch = tf.tidy(() => tf.randomNormal([32, 2], 0, 1, 'float32', 1) as tf.Tensor2D);
  const step = () => {
    const { loss, perSample } = trainStep(net, objective, optimizer, batch, rng, true);
    tf.dispose([loss, perSample!.losses]);
  };
  step();
  const after1 = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) step();
  assert.equal(tf.memory().numTensors, after1);
  tf.dispose(batch);
  optimizer.dispose();
  net.dispose();
});

const CD_RUN: ExperimentConfigInput = {
  seed: 4,
  data: { kind: 'gaussian-mixture', n: 600 },
  model: { kind: 'energy-mlp', hidden: [16, 16] },
  objective: { kind: 'cd', langevinSteps: 3, bufferSize: 64, reinitFraction: 0.1 },
  schedule: { kind: 'geometric', levels: 4 },
  train: { steps: 40, batchSize: 32, logEvery: 5, checkpointEvery: 20 },
  sampler: { kind: 'annealed-langevin', n: 40, stepsPerLevel: 3 },
};

async function run(config: ExperimentConfigInput, opts: { resume?: TrainingCheckpoint; cancelAfter?: number } = {}) {
  const events: RunEvent[] = [];
  let polls = 0;
  const outcome = await runExperiment(requireExperimentConfig(config), {
    baseDir: __dirname,
    isCancelled: () => opts.cancelAfter !== undefined && ++polls > opts.cancelAfter,
    emit: (e) => events.push(e),
    resume: opts.resume,
  });
  const of = <T extends RunEvent['type']>(type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  return { outcome, of, losses: of('metrics').flatMap((m) => m.points).filter((p) => p.key === 'loss') };
}

test('a cd run resumed from its checkpoint, replay buffer included, continues exactly as the run that never stopped', async () => {
  const whole = await run(CD_RUN);
  assert.equal(whole.outcome.status, 'completed', whole.outcome.error);
  const stopped = await run(CD_RUN, { cancelAfter: 23 });
  const checkpoint = stopped.of('checkpoint').at(-1)!.checkpoint;
  assert.equal(checkpoint.step, 23);
  const buffer = checkpoint.optimizer.filter((t) => t.name.startsWith('state/objective/'));
  assert.deepEqual(buffer.map((t) => [t.name, t.shape]), [['state/objective/points', [4, 64, 2]], ['state/objective/filled', [4, 64]]]);

  const resumed = await run(CD_RUN, { resume: checkpoint });
  assert.equal(resumed.outcome.status, 'completed', resumed.outcome.error);
  assert.deepEqual(resumed.losses.map((p) => p.value), whole.losses.filter((p) => p.step > 23).map((p) => p.value), 'the same losses, bit for bit');
  assert.deepEqual(resumed.outcome.samples, whole.outcome.samples);

  // Without its buffer the run could not go on as it would have: it is refused, not approximated.
  const withoutBuffer = { ...checkpoint, optimizer: checkpoint.optimizer.filter((t) => !t.name.startsWith('state/')) };
  const refused = await run(CD_RUN, { resume: withoutBuffer });
  assert.equal(refused.outcome.status, 'failed');
  assert.match(refused.outcome.error!, /checkpoint: no state for 'objective'/);
});
