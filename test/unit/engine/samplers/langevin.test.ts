import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreFn } from '../../../../src-main/engine/networks';
import { createRng } from '../../../../src-main/engine/random';
import { annealedLangevin, langevinStep, langevinStepSizes, tweedieDenoise } from '../../../../src-main/engine/samplers/annealed-langevin';
import { initialChains, sampleChains } from '../../../../src-main/engine/samplers';
import type { SamplerCallback, SamplerProgress } from '../../../../src-main/engine/samplers';
import { predictorCorrector } from '../../../../src-main/engine/samplers/predictor-corrector';
import { assertAllClose, assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

const x = () => tf.tensor2d([[1, 2]]);
const s = () => tf.tensor2d([[-1, 0.5]]);
const z = () => tf.tensor2d([[0.5, -1]]);

test("one 'half' Langevin step is x + (α/2)·s + √α·z", () => {
  // α = 0.04: (1, 2) + 0.02·(−1, 0.5) + 0.2·(0.5, −1) = (1.08, 1.81)
  const next = tf.tidy(() => langevinStep(x(), s(), 0.04, z(), 'half').arraySync()[0]);
  assertAllClose(next, [1.08, 1.81], 1e-6, 'x');
});

test("one 'full' Langevin step is x + α·s + √(2α)·z", () => {
  // α = 0.04: (1, 2) + 0.04·(−1, 0.5) + √0.08·(0.5, −1)
  const r = Math.sqrt(0.08);
  const next = tf.tidy(() => langevinStep(x(), s(), 0.04, z(), 'full').arraySync()[0]);
  assertAllClose(next, [1 - 0.04 + 0.5 * r, 2 + 0.02 - r], 1e-6, 'x');
});

test('the final denoising step is Tweedie’s x + σ²·s(x, σ)', () => {
  // s(x, σ) = −x/(1 + σ²) at σ = 0.5: x + 0.25·(−x/1.25) = 0.8·x
  const score: ScoreFn = (xs, sigma) => tf.tidy(() => tf.div(tf.neg(xs), tf.add(1, tf.square(sigma))) as tf.Tensor2D);
  const out = tf.tidy(() => tweedieDenoise(score, x(), 0.5).arraySync()[0]);
  assertAllClose(out, [0.8, 1.6], 1e-6, 'x');
});

test('step sizes are α_i = ε·σ_i²/σ_L²', () => {
  assertAllClose(langevinStepSizes(1e-3, [4, 2, 0.5]), [0.064, 0.016, 0.001], 1e-12, 'α');
});

/** The score of N(0, τ²·I), the same at every level. */
const TAU2 = 2;
const fixedGaussianScore: ScoreFn = (xs) => tf.tidy(() => tf.div(xs, -TAU2) as tf.Tensor2D);

for (const [convention, factor] of [['half', 4], ['full', 2]] as const) {
  test(`'${convention}' Langevin chains settle at the discretised stationary variance τ²/(1 − α/(${factor}τ²))`, async () => {
    // x' = (1 − cα/τ²)·x + √(2cα)·z with c = ½ ('half') or 1 ('full') is an AR(1) process whose
    // stationary variance is 2cα / (1 − (1 − cα/τ²)²) = τ²/(1 − cα/(2τ²)).
    const alpha = 0.2;
    const n = 4000;
    // One level: α = ε·σ²/σ² = ε.
    const samples = await sampleChains(fixedGaussianScore, new Float32Array(n * 2), [1], {
      config: { kind: 'annealed-langevin', stepsPerLevel: 200, eps: alpha, n, convention, finalDenoise: false, init: 'uniform-data-box' },
      dim: 2,
      rng: createRng(7, convention),
      chunk: 1500, // three chunks, so chunking is exercised too
    });
    const variance = samples.reduce((acc, v) => acc + v * v, 0) / samples.length;
    const expected = TAU2 / (1 - alpha / (factor * TAU2));
    // 8000 draws: the variance estimate's relative standard deviation is √(2/8000) ≈ 1.6%.
    assertClose(variance, expected, 0.05 * expected, 'variance');
  });
}

test('annealed Langevin visits every level in order, reports each step, and ends with the denoising step', async () => {
  const seen: { done: number; total: number; level: number }[] = [];
  const before = tf.memory().numTensors;
  const x0 = tf.zeros([5, 2]) as tf.Tensor2D;
  // σ = 2, 1 with ε = 0.025: α = 0.1, 0.025.
  const out = await annealedLangevin(
    { score: fixedGaussianScore },
    x0,
    [2, 1],
    { stepsPerLevel: 3, eps: 0.025, convention: 'half', finalDenoise: true, rng: createRng(1, 'n') },
    ({ done, total, level, x: state }) => {
      assert.deepEqual(state.shape, [5, 2]);
      seen.push({ done, total, level });
    },
  );
  assert.deepEqual(seen.map((p) => p.done), [1, 2, 3, 4, 5, 6, 7]);
  assert.ok(seen.every((p) => p.total === 7));
  assert.deepEqual(seen.map((p) => p.level), [0, 0, 0, 1, 1, 1, -1]);
  assert.deepEqual(out.shape, [5, 2]);
  tf.dispose([x0, out]);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
});

/** Runs a sampler on 4 chains from 0; what each step reported, without the state. */
async function reports(run: (x0: tf.Tensor2D, callback: SamplerCallback) => Promise<tf.Tensor2D>): Promise<Omit<SamplerProgress, 'x'>[]> {
  const seen: Omit<SamplerProgress, 'x'>[] = [];
  const x0 = tf.zeros([4, 2]) as tf.Tensor2D;
  const out = await run(x0, ({ x: _state, ...report }) => {
    seen.push(report);
  });
  tf.dispose([x0, out]);
  return seen;
}

test('annealed Langevin reports its step α_i = ε·σ_i²/σ_L² at each level and one model evaluation per step', async () => {
  const sigmas = [2, 1, 0.5];
  const eps = 0.01;
  const seen = await reports((x0, callback) =>
    annealedLangevin({ score: fixedGaussianScore }, x0, sigmas, { stepsPerLevel: 2, eps, convention: 'half', finalDenoise: true, rng: createRng(2, 'n') }, callback),
  );
  for (const { level, stats, done } of seen) {
    assert.equal(stats.nfe, done, `step ${done}: NFE`);
    if (level >= 0) assertClose(stats.stepSize!, (eps * sigmas[level] ** 2) / sigmas[2] ** 2, 1e-15, `level ${level}: α`);
    else assert.equal(stats.stepSize, undefined, 'the denoising step is no Langevin step');
  }
  assert.deepEqual(
    seen.map((p) => p.level),
    [0, 0, 1, 1, 2, 2, -1],
  );
});

test('predictor–corrector counts one model evaluation per corrector and per predictor step', async () => {
  const seen = await reports((x0, callback) =>
    predictorCorrector({ score: fixedGaussianScore }, x0, [2, 1], { snr: 0.16, correctorSteps: 2, convention: 'full', finalDenoise: true, rng: createRng(2, 'pc') }, callback),
  );
  assert.deepEqual(
    seen.map((p) => p.level),
    [0, 0, 0, 1, 1, -1],
    'two corrector steps, then the predictor, per level; the last predictor goes to σ = 0',
  );
  for (const { stats, done } of seen) assert.equal(stats.nfe, done);
});

test('a callback that throws aborts sampling without leaking tensors', async () => {
  const before = tf.memory().numTensors;
  const x0 = tf.zeros([3, 2]) as tf.Tensor2D;
  await assert.rejects(
    annealedLangevin(
      { score: fixedGaussianScore },
      x0,
      [1],
      { stepsPerLevel: 10, eps: 0.01, convention: 'half', finalDenoise: false, rng: createRng(1, 'n') },
      ({ done }) => {
        if (done === 4) throw new Error('stop');
      },
    ),
    /stop/,
  );
  x0.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("'uniform-data-box' starts chains uniformly on the data's box padded by 10% per side", () => {
  // Data box [0, 10] × [−1, 1] → padded [−1, 11] × [−1.2, 1.2].
  const data = { points: Float32Array.from([0, -1, 10, 1, 5, 0]), n: 3, dim: 2 };
  const init = initialChains('uniform-data-box', 20000, data, 10, createRng(3, 'init'));
  const xs = init.filter((_, i) => i % 2 === 0);
  const ys = init.filter((_, i) => i % 2 === 1);
  assert.ok(Math.min(...xs) >= -1 && Math.max(...xs) <= 11 && Math.min(...ys) >= -1.2 && Math.max(...ys) <= 1.2);
  // Uniform: the extremes come within a few thousandths of the box's edges, the mean sits mid-box.
  assertClose(Math.min(...xs), -1, 0.01, 'min x');
  assertClose(Math.max(...ys), 1.2, 0.01, 'max y');
  assertClose(xs.reduce((a, b) => a + b) / xs.length, 5, 0.1, 'mean x');
});

test("'gaussian-sigma-max' starts chains at the data mean plus σ_1·z", () => {
  const data = { points: Float32Array.from([0, 0, 4, 2]), n: 2, dim: 2 }; // mean (2, 1)
  const init = initialChains('gaussian-sigma-max', 20000, data, 10, createRng(3, 'init'));
  const xs = init.filter((_, i) => i % 2 === 0);
  const mean = xs.reduce((a, b) => a + b) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  assertClose(mean, 2, 0.25, 'mean x'); // standard error 10/√20000 ≈ 0.07
  assertClose(sd, 10, 0.2, 'std x');
});
