/**
 * Every sampler on the analytic score of one Gaussian, N(μ, s²I) with μ = (1, −2), s = 1.5, whose
 * perturbed density at σ is N(μ, τ²I), τ² = s² + σ²: the samples' mean and covariance must match
 * the closed form each sampler converges to, within 4 standard errors (4000 independent chains).
 *
 * Closed forms (AR(1) stationary variances; the Langevin ones include the step's discretisation):
 * - unadjusted Langevin, x' = x + cα·s + √(2cα)·z with s = −(x − μ)/τ²: v = τ²/(1 − cα/(2τ²)),
 *   c = ½ ('half') or 1 ('full');
 * - predictor–corrector's corrector, α = 2(r·‖z‖/‖s‖)² with ‖s‖ = ‖x − μ‖/τ²: in equilibrium
 *   α = 2r²τ⁴/v, and v = τ²/(1 − α/(2τ²)) solves to v = τ²(1 + r²);
 * - Tweedie's final step x + σ²·s maps x ~ N(μ, v) to N(μ, v·(s²/τ²)²);
 * - MALA and RWMH leave N(μ, τ²I) invariant exactly.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SamplerOptions } from '../../../../src-main/engine/samplers';
import { sampleChains } from '../../../../src-main/engine/samplers';
import { createAnalytic } from '../../../../src-main/engine/networks/analytic';
import { createRng } from '../../../../src-main/engine/random';
import { assertClose, useEngineBackend } from '../helpers';
import { assertGaussianMoments, formatMoments, repeatRows } from './sampler-helpers';

useEngineBackend();

const MU = [1, -2];
const S2 = 1.5 ** 2;
const gaussian = createAnalytic({ kind: 'analytic' }, 2, createRng(0, 'unused'), { mixture: { means: [MU], stds: [1.5], weights: [1] } });
const SIGMAS = [2, 1, 0.5, 0.2];
const TAU2 = S2 + SIGMAS[SIGMAS.length - 1] ** 2;
const N = 4000;
const isotropic = (v: number) => [
  [v, 0],
  [0, v],
];
const tweedie = (v: number) => v * (S2 / TAU2) ** 2;

const common = { n: N, init: 'uniform-data-box' as const };
const CASES: { name: string; config: SamplerOptions; variance: number }[] = [
  {
    name: "langevin ('half') at σ_L",
    config: { kind: 'langevin', steps: 600, eps: 0.2, convention: 'half', finalDenoise: false, ...common },
    variance: TAU2 / (1 - 0.2 / (4 * TAU2)),
  },
  {
    name: "langevin ('full') at σ_L",
    config: { kind: 'langevin', steps: 600, eps: 0.15, convention: 'full', finalDenoise: false, ...common },
    variance: TAU2 / (1 - 0.15 / (2 * TAU2)),
  },
  {
    name: 'annealed Langevin with the final denoising step',
    config: { kind: 'annealed-langevin', stepsPerLevel: 400, eps: 0.05, convention: 'half', finalDenoise: true, ...common },
    variance: tweedie(TAU2 / (1 - 0.05 / (4 * TAU2))),
  },
  {
    name: 'predictor–corrector (snr 0.16) with the final denoising step',
    config: { kind: 'predictor-corrector', snr: 0.16, correctorSteps: 100, convention: 'full', finalDenoise: true, ...common },
    variance: tweedie(TAU2 * (1 + 0.16 ** 2)),
  },
  {
    name: 'MALA at σ_L',
    config: { kind: 'mala', steps: 500, eps: 0.5, convention: 'half', ...common },
    variance: TAU2,
  },
  {
    name: 'random-walk Metropolis–Hastings at σ_L',
    config: { kind: 'rwmh', steps: 800, proposalStd: 1.5, ...common },
    variance: TAU2,
  },
];

for (const { name, config, variance } of CASES) {
  test(`${name} returns the Gaussian's closed-form mean and covariance`, async (t) => {
    const samples = await sampleChains(gaussian, repeatRows([0, 0], N), SIGMAS, { config, dim: 2, rng: createRng(11, config.kind) });
    assert.ok(samples.every(Number.isFinite));
    const got = assertGaussianMoments(samples, 2, MU, isotropic(variance), name);
    t.diagnostic(`expected variance ${variance.toFixed(4)}; measured ${formatMoments(got)}`);
  });
}

test("'half' with step α is 'full' with step α/2, sample for sample", async () => {
  const run = (convention: 'half' | 'full', eps: number) =>
    sampleChains(gaussian, repeatRows([0, 0], 100), SIGMAS, {
      config: { kind: 'langevin', steps: 50, eps, convention, finalDenoise: true, ...common, n: 100 },
      dim: 2,
      rng: createRng(1, 'same'),
    });
  const [half, full] = [await run('half', 0.2), await run('full', 0.1)];
  for (let i = 0; i < half.length; i++) assertClose(half[i], full[i], 1e-5, `coordinate ${i}`);
});

test('a seeded sampler repeats exactly, and another seed does not; no tensor leaks', async () => {
  const before = tf.memory().numTensors;
  for (const { config } of CASES) {
    const short = { ...config, n: 50, ...('steps' in config ? { steps: 20 } : {}), ...('stepsPerLevel' in config ? { stepsPerLevel: 5 } : {}) } as SamplerOptions;
    const run = (seed: number) => sampleChains(gaussian, repeatRows([0, 0], 50), SIGMAS, { config: short, dim: 2, rng: createRng(seed, 'repeat') });
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    assert.deepEqual(a, b, `${config.kind}: same seed`);
    assert.notDeepEqual(a, c, `${config.kind}: other seed`);
  }
  assert.equal(tf.memory().numTensors, before);
});
