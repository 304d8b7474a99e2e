/**
 * Inpainting keeps the known coordinates exactly and samples the rest from the closed-form
 * conditional of a correlated Gaussian; interpolation's spherical mix of noise keeps its norm and
 * its paths run between the two samples.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreFn } from '../../../../src-main/engine/networks';
import { createAnalytic } from '../../../../src-main/engine/networks/analytic';
import { createRng } from '../../../../src-main/engine/random';
import { sampleChains } from '../../../../src-main/engine/samplers';
import type { SamplerOptions } from '../../../../src-main/engine/samplers';
import { langevinStepSizes } from '../../../../src-main/engine/samplers/annealed-langevin';
import { inpaintHooks } from '../../../../src-main/engine/samplers/inpaint';
import { interpolationStarts, levelsFrom, slerp } from '../../../../src-main/engine/samplers/interpolate';
import { assertAllClose, assertClose, useEngineBackend } from '../helpers';
import { assertGaussianMoments, formatMoments, repeatRows } from './sampler-helpers';

useEngineBackend();

// N(μ, Σ), correlated; perturbed at σ it is N(μ, C), C = Σ + σ²I, with score −C⁻¹(x − μ).
const MU = [0.5, -1];
const SIGMA_MATRIX = [
  [2, 1.2],
  [1.2, 1.5],
];
const covAt = (sigma: number) => SIGMA_MATRIX.map((row, i) => row.map((v, j) => v + (i === j ? sigma * sigma : 0)));
const correlatedScore: ScoreFn = (x, sigma) =>
  tf.tidy(() => {
    const s2 = sigma.dataSync()[0] ** 2;
    const [[a, b], [, d]] = covAt(Math.sqrt(s2));
    const det = a * d - b * b;
    const precision = tf.tensor2d([
      [d / det, -b / det],
      [-b / det, a / det],
    ]);
    return tf.neg(tf.matMul(tf.sub(x, tf.tensor2d([MU])), precision)) as tf.Tensor2D;
  });

const KNOWN = 2; // x₀ = 2 is kept; x₁ is sampled
const N = 4000;

test('inpainting with annealed Langevin samples the Gaussian’s closed-form conditional and keeps x₀ exactly', async (t) => {
  const sigmas = [1, 0.5, 0.25, 0.1];
  const eps = 0.01;
  const config: SamplerOptions = { kind: 'annealed-langevin', stepsPerLevel: 500, eps, convention: 'half', finalDenoise: false, n: N, init: 'uniform-data-box' };
  const references = repeatRows([KNOWN, 0], N);
  const noise = createRng(4, 'inpaint-noise');
  const samples = await sampleChains(correlatedScore, repeatRows([0, 0], N), sigmas, {
    config,
    dim: 2,
    rng: createRng(4, 'ald'),
    hooks: (offset, rows) => inpaintHooks([true, false], references.subarray(offset * 2, (offset + rows) * 2), rows, noise),
  });
  for (let i = 0; i < N; i++) assert.equal(samples[2 * i], KNOWN, `chain ${i}: x₀`);

  // At σ_L the chains hold x₀ = 2 + σ_L·ζ and sample x₁ | x₀ under N(μ, C): mean
  // μ₁ + (C₁₀/C₀₀)(x₀ − μ₀), variance c = C₁₁ − C₁₀²/C₀₀; 'half' Langevin on that 1-D Gaussian
  // settles at c/(1 − α_L/(4c)); averaging over ζ adds (C₁₀/C₀₀)²σ_L².
  const sigmaL = sigmas[sigmas.length - 1];
  const C = covAt(sigmaL);
  const slope = C[1][0] / C[0][0];
  const c = C[1][1] - C[1][0] ** 2 / C[0][0];
  const mean = MU[1] + slope * (KNOWN - MU[0]);
  const alphaL = langevinStepSizes(eps, sigmas)[sigmas.length - 1];
  const variance = c / (1 - alphaL / (4 * c)) + slope ** 2 * sigmaL ** 2;
  const free = samples.filter((_, i) => i % 2 === 1);
  const got = assertGaussianMoments(free, 1, [mean], [[variance]], 'x₁ | x₀');
  t.diagnostic(
    `conditional of N(μ, Σ) given x₀ = 2: mean ${MU[1] + (1.2 / 2) * (KNOWN - MU[0])}, variance ${1.5 - 1.2 ** 2 / 2}; ` +
      `closed form at σ_L: mean ${mean.toFixed(4)}, variance ${variance.toFixed(4)}; measured ${formatMoments(got)}`,
  );
});

for (const config of [
  { kind: 'annealed-langevin', stepsPerLevel: 5, eps: 0.01, convention: 'half', finalDenoise: true },
  { kind: 'annealed-langevin', stepsPerLevel: 5, eps: 0.01, convention: 'full', finalDenoise: false },
  { kind: 'langevin', steps: 10, eps: 0.01, convention: 'half', finalDenoise: true },
  { kind: 'predictor-corrector', snr: 0.16, correctorSteps: 2, convention: 'full', finalDenoise: false },
] as const) {
  test(`${config.kind} (${JSON.stringify(config)}) keeps each chain's own known coordinates exactly, across chunks`, async () => {
    const n = 50;
    const mixture = { means: [[1, -1, 0]], stds: [1], weights: [1] };
    const model = createAnalytic({ kind: 'analytic' }, 3, createRng(0, 'unused'), { mixture });
    const refRng = createRng(8, 'refs');
    const references = Float32Array.from({ length: n * 3 }, () => 4 * refRng.normal());
    const mask = [true, false, true];
    const noise = createRng(8, 'noise');
    const before = tf.memory().numTensors;
    const samples = await sampleChains(model, new Float32Array(n * 3), [2, 1, 0.5], {
      config: { ...config, n, init: 'uniform-data-box' },
      dim: 3,
      rng: createRng(8, 'sampler'),
      chunk: 20, // three chunks: each gets its own rows of the references
      hooks: (offset, rows) => inpaintHooks(mask, references.subarray(offset * 3, (offset + rows) * 3), rows, noise),
    });
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
    for (let i = 0; i < n; i++) {
      assert.equal(samples[3 * i], references[3 * i], `chain ${i}: x₀`);
      assert.equal(samples[3 * i + 2], references[3 * i + 2], `chain ${i}: x₂`);
      assert.notEqual(samples[3 * i + 1], 0, `chain ${i}: x₁ was sampled`);
    }
  });
}

test('slerp keeps its endpoints, the norm of equal-norm vectors, and turns at a constant rate', () => {
  // a, b of norm 5 at Ω = π/2 − atan(3/4)... read off: cos Ω = a·b/25 = (3·0 + 4·5)/25 = 0.8.
  const a = [3, 4, 0];
  const b = [0, 5, 0];
  const omega = Math.acos(0.8);
  assertAllClose(slerp(a, b, 0), a, 1e-12, 't = 0');
  assertAllClose(slerp(a, b, 1), b, 1e-12, 't = 1');
  for (const t of [0.1, 0.25, 0.5, 0.9]) {
    const v = slerp(a, b, t);
    const norm = Math.hypot(...v);
    assertClose(norm, 5, 1e-12, `‖slerp(${t})‖`);
    const angle = Math.acos((v[0] * a[0] + v[1] * a[1] + v[2] * a[2]) / (norm * 5));
    assertClose(angle, t * omega, 1e-9, `angle to a at t = ${t}`);
  }
  // Orthogonal unit vectors: slerp is (cos(tπ/2), sin(tπ/2)), unlike the linear mix, whose norm dips to 1/√2.
  assertAllClose(slerp([1, 0], [0, 1], 0.5), [Math.SQRT1_2, Math.SQRT1_2], 1e-12, 'slerp(e₁, e₂, ½)');
  // Parallel vectors have no plane to turn in: the linear mix.
  assertAllClose(slerp([1, 2], [2, 4], 0.5), [1.5, 3], 1e-12, 'parallel');
});

test('interpolation paths start at the linear mix of the pair plus σ_m times the slerp of two noise draws', () => {
  const endpoints = Float32Array.from([0, 0, 10, 0, 1, 1, 1, -3]); // pairs ((0,0),(10,0)) and ((1,1),(1,−3))
  const points = 5;
  const sigma = 0.5;
  const starts = interpolationStarts(endpoints, 2, 2, points, sigma, createRng(6, 'interp'));
  const rng = createRng(6, 'interp');
  for (let p = 0; p < 2; p++) {
    const [za, zb] = [rng.normals(2), rng.normals(2)];
    const [xa, xb] = [endpoints.subarray(4 * p, 4 * p + 2), endpoints.subarray(4 * p + 2, 4 * p + 4)];
    for (let k = 0; k < points; k++) {
      const t = k / (points - 1);
      const row = starts.subarray((p * points + k) * 2, (p * points + k + 1) * 2);
      const noise = [0, 1].map((j) => (row[j] - ((1 - t) * xa[j] + t * xb[j])) / sigma);
      assertAllClose(noise, slerp(za, zb, t), 1e-5, `pair ${p}, t = ${t}: noise`);
    }
    // The endpoints are the two samples re-noised with their own draws.
    assertAllClose(starts.subarray(p * points * 2, p * points * 2 + 2), [xa[0] + sigma * za[0], xa[1] + sigma * za[1]], 1e-5, `pair ${p} start`);
  }
});

test('interpolation anneals back through the levels at or below σ_m', () => {
  const sigmas = [4, 2, 1, 0.5];
  assert.deepEqual(levelsFrom(sigmas, 2).sigmas, [2, 1, 0.5]);
  assert.deepEqual(levelsFrom(sigmas, 1.5).sigmas, [1, 0.5]);
  assert.deepEqual(levelsFrom(sigmas, 0.1).sigmas, [0.5], 'below σ_L: the last level');
});
