/**
 * Objectives that differentiate the score's Jacobian take second derivatives through the network,
 * which TensorFlow.js 4.22 gets wrong through some ops. These tests check, on the MLP of the
 * presets, the Jacobian terms against finite differences of the score, and every objective's
 * gradient in θ against central differences of its value, in float32.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleLevel } from '../../../../src-shared/api';
import { requireExperimentConfig } from '../../../../src-shared/config';
import { createNetwork } from '../../../../src-main/engine/networks';
import type { ScoreNetwork } from '../../../../src-main/engine/networks';
import { elu, swish } from '../../../../src-main/engine/networks/activations';
import { createObjective, lossWeight } from '../../../../src-main/engine/objectives';
import { scoreAndJacobianTrace, scoreAndVjp } from '../../../../src-main/engine/objectives/jacobian';
import { createRng } from '../../../../src-main/engine/random';
import { assertAllClose, assertMatchesCentralDifferences, derivativeMismatch, FD_POINTS as POINTS, FD_SIGMAS as SIGMAS, gradientsOf, useEngineBackend } from '../helpers';

useEngineBackend();

/** The smooth activations the MLP offers (relu's Jacobian jumps, so finite differences of it straddle jumps). */
const SMOOTH = ['softplus', 'swish', 'elu'] as const;
type Smooth = (typeof SMOOTH)[number];


/** The networks checked: each smooth activation with 'concat', and FiLM conditioning (its σ-dependent scales multiply the path from x). */
const NETWORKS: { name: string; activation: Smooth; conditioning: 'concat' | 'film' }[] = [
  ...SMOOTH.map((activation) => ({ name: activation, activation, conditioning: 'concat' as const })),
  { name: 'softplus, film', activation: 'softplus', conditioning: 'film' },
  { name: 'swish, film', activation: 'swish', conditioning: 'film' },
];

/**
 * elu is C¹ but not C²: elu'' jumps from 1 to 0 at 0, so an objective that differentiates the score's
 * Jacobian has a θ-gradient that jumps wherever a pre-activation crosses 0, and a central difference
 * whose step moves a pre-activation across 0 measures the jump, not the gradient. With PyTorch's
 * initialisation (nonzero biases) at this seed, a first-layer pre-activation sits 1e-4 from 0 at one
 * of the points (the step moves it by ~1e-2), so the elu networks are checked at Glorot's draw, whose
 * pre-activations stay clear of 0; the smooth activations use the default.
 */
function smallMlp({ activation, conditioning }: (typeof NETWORKS)[number]): ScoreNetwork {
  const init = activation === 'elu' ? 'glorot' : 'pytorch';
  const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [8, 8], activation, conditioning, embeddingDim: 4, init } });
  return createNetwork(config.model, 2, createRng(3, 'weights'));
}

/** f(x)[j] for every row j, read back. */
function rows(f: () => tf.Tensor): number[][] {
  return tf.tidy(() => f().arraySync() as number[][]);
}

for (const network of NETWORKS) {
  test(`${network.name}: tr(∇ₓs) by D backward passes matches central differences of the score`, () => {
    const net = smallMlp(network);
    const h = 1e-2;
    const score = (shift: number[]) =>
      rows(() => net.score(tf.add(tf.tensor2d(POINTS), tf.tensor2d([shift])) as tf.Tensor2D, tf.tensor2d(SIGMAS)));
    const fd = POINTS.map((_, j) => {
      let trace = 0;
      for (let i = 0; i < 2; i++) {
        const e = [0, 0];
        e[i] = h;
        trace += (score(e)[j][i] - score(e.map((v) => -v))[j][i]) / (2 * h);
      }
      return trace;
    });
    const trace = tf.tidy(() => Array.from(scoreAndJacobianTrace(net.score, tf.tensor2d(POINTS), tf.tensor2d(SIGMAS)).trace.dataSync()));
    // Truncation h²/6·∂³s ≈ 1e-5·|∂³s| and float32 rounding ≈ 1e-7·|s|/h ≈ 1e-5·|s|.
    assertAllClose(trace, fd, 2e-3, 'tr(∇ₓs)');
    net.dispose();
  });

  test(`${network.name}: vᵀ∇ₓ(vᵀs) by one backward pass matches central differences along v`, () => {
    const net = smallMlp(network);
    const v = [[1, -1], [0.5, 2], [-1.5, 0.3], [1, 1]];
    const h = 1e-2;
    const along = (t: number) =>
      rows(() => net.score(tf.add(tf.tensor2d(POINTS), tf.mul(t, tf.tensor2d(v))) as tf.Tensor2D, tf.tensor2d(SIGMAS)));
    const [plus, minus] = [along(h), along(-h)];
    const fd = POINTS.map((_, j) => v[j].reduce((acc, vi, i) => acc + (vi * (plus[j][i] - minus[j][i])) / (2 * h), 0));
    const vJv = tf.tidy(() => {
      const vt = tf.tensor2d(v);
      return Array.from(tf.sum(tf.mul(scoreAndVjp(net.score, tf.tensor2d(POINTS), tf.tensor2d(SIGMAS), vt).vjp, vt), 1).dataSync());
    });
    assertAllClose(vJv, fd, 2e-3, 'vᵀJv');
    net.dispose();
  });
}

const OBJECTIVES: Record<string, object> = {
  ism: { kind: 'ism' },
  'ssm (VR, rademacher)': { kind: 'ssm' },
  'ssm (gaussian, 2 projections)': { kind: 'ssm', projection: 'gaussian', varianceReduced: false, projections: 2 },
  'noisy-ssm': { kind: 'noisy-ssm' },
  'fd-ssm': { kind: 'fd-ssm' },
  esm: { kind: 'esm' },
  dsm: { kind: 'dsm' },
};
const LEVELS = [2, 1, 0.5];
const TARGET = { mixture: { means: [[1, 1], [-1, 0]], stds: [0.7, 0.5], weights: [0.6, 0.4] } };

for (const network of NETWORKS) {
  for (const [name, input] of Object.entries(OBJECTIVES)) {
    test(`${network.name}, ${name}: the gradient in θ matches central differences of the objective`, () => {
      const config = requireExperimentConfig({ objective: input }).objective;
      const levels: ScheduleLevel[] = LEVELS.map((sigma, level) => ({ level, sigma, alpha: 0, weight: lossWeight(config, sigma) }));
      const objective = createObjective(config, levels, TARGET);
      const net = smallMlp(network);
      const x = tf.tensor2d(POINTS);
      // The same levels, noise and projections at every evaluation: a fresh stream with one seed.
      const loss = () => tf.mean(objective.sampleLoss(net, x, createRng(11, 'objective')).perSample) as tf.Scalar;
      assertMatchesCentralDifferences(net.variables, loss, gradientsOf(loss, net.variables));
      x.dispose();
      net.dispose();
    });
  }
}

/** d/dw of Σ_x d/dx f(w·x), as ISM and SSM take: autodiff against a central difference. */
const secondOrderMismatch = (f: (t: tf.Tensor) => tf.Tensor): number => derivativeMismatch(f, 2);

test('tfjs 4.22 second derivatives are wrong through tanh, exp and x·tf.sigmoid(x), and missing for tf.elu: why tanh is not offered and swish/elu carry their own gradients', () => {
  // These kernels' gradients reuse the op's output, which the second pass treats as a constant.
  // Should a tfjs upgrade fix them, this test fails: tanh could then be offered.
  assert.ok(secondOrderMismatch((t) => tf.tanh(t)) > 0.5, 'tanh');
  assert.ok(secondOrderMismatch((t) => tf.exp(t)) > 0.5, 'exp');
  assert.ok(secondOrderMismatch((t) => tf.mul(t, tf.sigmoid(t))) > 0.05, 'x·sigmoid(x) from tf.sigmoid');
  // (Inside a network, where the upstream gradient depends on θ too, tf.elu's EluGrad has no gradient at all.)
  assert.ok(secondOrderMismatch((t) => tf.elu(t)) > 0.05, 'tf.elu');
  // The forms the MLP uses are right.
  for (const [name, f] of [
    ['softplus', (t: tf.Tensor) => tf.softplus(t)],
    ['swish', (t: tf.Tensor) => swish(t as tf.Tensor2D)],
    ['elu', (t: tf.Tensor) => elu(t as tf.Tensor2D)],
  ] as const)
    assert.ok(secondOrderMismatch(f) < 1e-3, name);
});

test('the second-order-safe swish and elu have the values and first derivatives of x·sigmoid(x) and tf.elu', () => {
  const xs = [-2.5, -0.7, 0, 0.4, 3];
  const [swishValue, swishGrad, eluValue, eluGrad] = tf.tidy(() => {
    const x = tf.tensor1d(xs);
    return [
      swish(x as unknown as tf.Tensor2D),
      tf.grad((t: tf.Tensor) => tf.sum(swish(t as tf.Tensor2D)))(x),
      elu(x as unknown as tf.Tensor2D),
      tf.grad((t: tf.Tensor) => tf.sum(elu(t as tf.Tensor2D)))(x),
    ].map((t) => Array.from(t.dataSync()));
  });
  const sig = (t: number) => 1 / (1 + Math.exp(-t));
  assertAllClose(swishValue, xs.map((t) => t * sig(t)), 1e-6, 'swish');
  assertAllClose(swishGrad, xs.map((t) => sig(t) + t * sig(t) * (1 - sig(t))), 1e-6, "swish'");
  assertAllClose(eluValue, xs.map((t) => (t > 0 ? t : Math.exp(t) - 1)), 1e-6, 'elu');
  assertAllClose(eluGrad, xs.map((t) => (t > 0 ? 1 : Math.exp(t))), 1e-6, "elu'");
});
