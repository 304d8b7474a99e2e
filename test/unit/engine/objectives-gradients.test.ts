/**
 * Objectives that differentiate the score's Jacobian take second derivatives through the network,
 * which TensorFlow.js 4.22 gets wrong through some ops. These tests check, on the MLP of the
 * presets, the Jacobian terms against finite differences of the score, and every objective's
 * gradient in θ against central differences of its value, in float32.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleLevel } from '../../../src-main/common/api';
import { requireExperimentConfig } from '../../../src-main/common/config';
import { createNetwork } from '../../../src-main/engine/networks';
import type { ScoreNetwork } from '../../../src-main/engine/networks';
import { elu, swish } from '../../../src-main/engine/networks/activations';
import { createObjective, lossWeight } from '../../../src-main/engine/objectives';
import { scoreAndJacobianTrace, scoreAndVjp } from '../../../src-main/engine/objectives/jacobian';
import { createRng } from '../../../src-main/engine/random';
import { assertAllClose, useEngineBackend } from './helpers';

useEngineBackend();

/** The smooth activations the MLP offers (relu's Jacobian jumps, so finite differences of it straddle jumps). */
const SMOOTH = ['softplus', 'swish', 'elu'] as const;
type Smooth = (typeof SMOOTH)[number];

const POINTS = [
  [0.3, -0.8],
  [1.1, 0.4],
  [-0.6, 1.5],
  [-1.2, -0.9],
];
const SIGMAS = [[0.5], [0.8], [1.2], [2]];

function smallMlp(activation: Smooth): ScoreNetwork {
  const config = requireExperimentConfig({ model: { kind: 'mlp', hidden: [8, 8], activation } });
  return createNetwork(config.model, 2, createRng(3, 'weights'));
}

/** f(x)[j] for every row j, read back. */
function rows(f: () => tf.Tensor): number[][] {
  return tf.tidy(() => f().arraySync() as number[][]);
}

for (const activation of SMOOTH) {
  test(`${activation}: tr(∇ₓs) by D backward passes matches central differences of the score`, () => {
    const net = smallMlp(activation);
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

  test(`${activation}: vᵀ∇ₓ(vᵀs) by one backward pass matches central differences along v`, () => {
    const net = smallMlp(activation);
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

for (const activation of SMOOTH) {
  for (const [name, input] of Object.entries(OBJECTIVES)) {
    test(`${activation}, ${name}: the gradient in θ matches central differences of the objective`, () => {
      const config = requireExperimentConfig({ objective: input }).objective;
      const levels: ScheduleLevel[] = LEVELS.map((sigma, level) => ({ level, sigma, alpha: 0, weight: lossWeight(config, sigma) }));
      const objective = createObjective(config, levels, TARGET);
      const net = smallMlp(activation);
      const x = tf.tensor2d(POINTS);
      // The same levels, noise and projections at every evaluation: a fresh stream with one seed.
      const loss = () => tf.mean(objective.sampleLoss(net.score, x, createRng(11, 'objective')).perSample) as tf.Scalar;
      const analytic = tf.tidy(() => net.variables.map((v, k) => Array.from(tf.variableGrads(loss, net.variables).grads[net.variables[k].name].dataSync()).slice(0, v.size)));
      const h = 1e-2;
      for (const [k, variable] of net.variables.entries()) {
        const base = variable.dataSync().slice();
        // Three entries of every kernel and bias: first, middle, last.
        for (const index of new Set([0, Math.floor(base.length / 2), base.length - 1])) {
          const at = (delta: number) => {
            const shifted = base.slice();
            shifted[index] += delta;
            tf.tidy(() => variable.assign(tf.tensor(shifted, variable.shape)));
            return tf.tidy(() => loss().dataSync()[0]);
          };
          const fd = (at(h) - at(-h)) / (2 * h);
          tf.tidy(() => variable.assign(tf.tensor(base, variable.shape)));
          const g = analytic[k][index];
          // float32: the loss (a mean of O(1–10) terms) carries ~1e-7–1e-6 of rounding, /h → up to ~1e-4;
          // the worst case here is 7e-5. The second derivatives that tfjs drops are 5–40% of these.
          assert.ok(Math.abs(g - fd) <= 2e-4 + 2e-3 * Math.abs(fd), `∂/∂θ of variable ${k} [${index}]: autodiff ${g}, central difference ${fd}`);
        }
      }
      x.dispose();
      net.dispose();
    });
  }
}

/**
 * G(w) = Σ_x d/dx f(w·x): the derivative in w of a derivative in x, as ISM and SSM take. d/dw by
 * tfjs's reverse mode against a central difference of G.
 */
function secondOrderMismatch(f: (t: tf.Tensor) => tf.Tensor): number {
  const xs = tf.tensor1d([-1.3, 0.2, 0.9]);
  const w = tf.variable(tf.scalar(1));
  const G = () => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(f(tf.mul(y, w))))(xs)) as tf.Scalar;
  try {
    const autodiff = tf.tidy(() => tf.variableGrads(G, [w]).grads[w.name].dataSync()[0]);
    const h = 1e-3;
    const at = (value: number) => {
      w.assign(tf.scalar(value));
      return tf.tidy(() => G().dataSync()[0]);
    };
    return Math.abs(autodiff - (at(1 + h) - at(1 - h)) / (2 * h));
  } finally {
    tf.dispose([xs, w]);
  }
}

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
