/**
 * MALA and random-walk Metropolis–Hastings: the acceptance ratio against a hand computation, one
 * step against the same step written out in float64 from the same random numbers, and invariance:
 * chains started exactly from a known density (a two-component mixture) keep its moments, where
 * unadjusted Langevin with the same step visibly does not.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SamplingStats } from '../../../../src-shared/api';
import type { Mixture } from '../../../../src-main/engine/data/types';
import { createAnalytic } from '../../../../src-main/engine/networks/analytic';
import { createRng } from '../../../../src-main/engine/random';
import { sampleChains } from '../../../../src-main/engine/samplers';
import type { SamplerOptions, SamplerProgress } from '../../../../src-main/engine/samplers';
import { mala, malaLogAcceptance, rwmh } from '../../../../src-main/engine/samplers/metropolis';
import { perturbedMixture } from '../../../../src-main/engine/targets';
import { assertClose, useEngineBackend } from '../helpers';
import { assertMoments, formatMoments, moments } from './sampler-helpers';

useEngineBackend();

const model = (mixture: Mixture) => createAnalytic({ kind: 'analytic' }, mixture.means[0].length, createRng(0, 'unused'), { mixture });
const standardNormal = model({ means: [[0, 0]], stds: [1], weights: [1] });

test('MALA’s log acceptance ratio matches a hand computation', () => {
  // p = N(0, I) (σ = 0), x = (1, 0), y = (0.5, 0.5), α = 0.2, 'half' (drift cα = 0.1):
  //   log p(y) − log p(x) = −(0.5 − 1)/2 = 0.25
  //   y − (x + 0.1·s(x)) = (0.5, 0.5) − (0.9, 0) = (−0.4, 0.5):    log q(y|x) = −0.41/0.4 = −1.025
  //   x − (y + 0.1·s(y)) = (1, 0) − (0.45, 0.45) = (0.55, −0.45):  log q(x|y) = −0.505/0.4 = −1.2625
  //   log a = 0.25 − 1.2625 + 1.025 = 0.0125
  const logA = tf.tidy(() => {
    const sigma = tf.tensor2d([[0]]);
    const x = tf.tensor2d([[1, 0]]);
    const y = tf.tensor2d([[0.5, 0.5]]);
    const at = (v: tf.Tensor2D) => ({ logP: standardNormal.logDensity!(v, sigma), score: standardNormal.score(v, sigma) });
    const [px, py] = [at(x), at(y)];
    return malaLogAcceptance(x, y, px.logP, py.logP, px.score, py.score, 0.2, 'half').dataSync()[0];
  });
  assertClose(logA, 0.0125, 1e-6, 'log acceptance');
});

/** log N(v; 0, τ²I) up to a constant, and its score, in float64. */
const logP = (v: number[], tau2: number) => -(v[0] ** 2 + v[1] ** 2) / (2 * tau2);
const scoreOf = (v: number[], tau2: number) => v.map((c) => -c / tau2);

for (const kind of ['mala', 'rwmh'] as const) {
  test(`one ${kind} step accepts and rejects exactly as the Metropolis–Hastings rule written out by hand`, async () => {
    // N(0, I) perturbed at σ = 0.5: τ² = 1.25. Chains spread on a line so both outcomes occur.
    const n = 64;
    const tau2 = 1.25;
    const x0 = Array.from({ length: n }, (_, i) => [-3 + (6 * i) / (n - 1), 0.5]);
    const sigmas = [0.5];
    const [alpha, std] = [0.8, 1.2];
    const x = tf.tensor2d(x0);
    const out = await (kind === 'mala'
      ? mala(standardNormal, x, sigmas, { steps: 1, eps: alpha, convention: 'full', rng: createRng(5, 'step') })
      : rwmh(standardNormal, x, sigmas, { steps: 1, proposalStd: std, rng: createRng(5, 'step') }));
    const got = out.arraySync();
    tf.dispose([x, out]);

    // The same draws in the same order: n·D normals, then n uniforms.
    const rng = createRng(5, 'step');
    const z = rng.normals(n * 2);
    const u = Array.from({ length: n }, () => rng.uniform());
    let accepted = 0;
    for (let i = 0; i < n; i++) {
      const xi = x0[i];
      const zi = [z[2 * i], z[2 * i + 1]];
      let y: number[];
      let logA: number;
      if (kind === 'mala') {
        // 'full': y = x + α·s(x) + √(2α)·z; q(b|a) ∝ exp(−‖b − a − α·s(a)‖²/(4α))
        const sx = scoreOf(xi, tau2);
        y = xi.map((c, j) => c + alpha * sx[j] + Math.sqrt(2 * alpha) * zi[j]);
        const sy = scoreOf(y, tau2);
        const logQ = (b: number[], a: number[], sa: number[]) => -b.reduce((acc, bj, j) => acc + (bj - a[j] - alpha * sa[j]) ** 2, 0) / (4 * alpha);
        logA = logP(y, tau2) - logP(xi, tau2) + logQ(xi, y, sy) - logQ(y, xi, sx);
      } else {
        y = xi.map((c, j) => c + std * zi[j]);
        logA = logP(y, tau2) - logP(xi, tau2);
      }
      const accept = Math.log(u[i]) < logA;
      if (accept) accepted++;
      const expected = accept ? y : xi;
      for (let j = 0; j < 2; j++) assertClose(got[i][j], expected[j], 1e-4, `chain ${i} (${accept ? 'accepted' : 'rejected'}) [${j}]`);
    }
    assert.ok(accepted > 0 && accepted < n, `both outcomes occur (${accepted} of ${n} accepted)`);
  });
}

for (const kind of ['mala', 'rwmh'] as const) {
  test(`${kind} reports the fraction of proposals accepted so far, its step size, and its model evaluations`, async () => {
    const n = 64;
    const x0 = tf.tensor2d(Array.from({ length: n }, (_, i) => [-3 + (6 * i) / (n - 1), 0.5]));
    let previous = x0.arraySync();
    let moved = 0;
    const seen: { stats: SamplingStats; moved: number; done: number }[] = [];
    // A rejected row keeps its value exactly; an accepted one moves (the proposal equals x with probability 0).
    const callback = ({ x, done, stats }: SamplerProgress) => {
      const rows = x.arraySync();
      moved += rows.filter((row, i) => row.some((c, j) => c !== previous[i][j])).length;
      previous = rows;
      seen.push({ stats, moved, done });
    };
    const out = await (kind === 'mala'
      ? mala(standardNormal, x0, [0.5], { steps: 5, eps: 0.8, convention: 'full', rng: createRng(6, 'stats') }, callback)
      : rwmh(standardNormal, x0, [0.5], { steps: 5, proposalStd: 1.2, rng: createRng(6, 'stats') }, callback));
    tf.dispose([x0, out]);
    // MALA evaluates log p and the score at the start and at each proposal; RWMH log p only.
    const perStep = kind === 'mala' ? 2 : 1;
    for (const { stats, moved: m, done } of seen) {
      assert.equal(stats.acceptanceRate, m / (n * done), `step ${done}: acceptance rate`);
      assert.equal(stats.stepSize, kind === 'mala' ? 0.8 : 1.2);
      assert.equal(stats.nfe, perStep * (1 + done));
    }
    const rate = seen.at(-1)!.stats.acceptanceRate!;
    assert.ok(rate > 0 && rate < 1, `both outcomes occur (rate ${rate})`);
  });
}

// A two-component mixture, at the sampling level σ = 0.3.
const MIXTURE: Mixture = { means: [[1.5, 0], [-1.5, 1]], stds: [0.8, 1.2], weights: [0.7, 0.3] };
const SIGMA = 0.3;
const TARGET = perturbedMixture(MIXTURE, SIGMA);

/** n exact draws from the target: a component by its weight, then its Gaussian. */
function exactDraws(n: number, seed: number): Float32Array {
  const rng = createRng(seed, 'exact');
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const k = rng.uniform() < TARGET.weights[0] ? 0 : 1;
    for (let j = 0; j < 2; j++) out[2 * i + j] = TARGET.means[k][j] + TARGET.stds[k] * rng.normal();
  }
  return out;
}

/** The mixture's mean Σ w_k μ_k and covariance Σ w_k (v_k I + μ_k μ_kᵀ) − m mᵀ. */
function mixtureMoments(m: Mixture): { mean: number[]; cov: number[][] } {
  const mean = [0, 1].map((j) => m.means.reduce((acc, mu, k) => acc + m.weights[k] * mu[j], 0));
  const cov = [0, 1].map((a) =>
    [0, 1].map((b) => m.means.reduce((acc, mu, k) => acc + m.weights[k] * ((a === b ? m.stds[k] ** 2 : 0) + mu[a] * mu[b]), 0) - mean[a] * mean[b]),
  );
  return { mean, cov };
}

const N = 4000;
const SIGMAS = [SIGMA];
const common = { n: N, init: 'uniform-data-box' as const };

for (const config of [
  { kind: 'mala', steps: 60, eps: 1, convention: 'half', ...common },
  { kind: 'rwmh', steps: 60, proposalStd: 2, ...common },
] as SamplerOptions[]) {
  test(`${config.kind} started exactly from a mixture leaves its moments unchanged`, async (t) => {
    const target = mixtureMoments(TARGET);
    const samples = await sampleChains(model(MIXTURE), exactDraws(N, 1), SIGMAS, { config, dim: 2, rng: createRng(2, config.kind) });
    const got = assertMoments(samples, 2, target.mean, target.cov, config.kind);
    t.diagnostic(`closed form ${formatMoments(target)}; after ${config.kind} ${formatMoments(got)}`);
  });
}

test('unadjusted Langevin with MALA’s step does not leave the mixture invariant (so the check above can fail)', async (t) => {
  const target = mixtureMoments(TARGET);
  const samples = await sampleChains(model(MIXTURE), exactDraws(N, 1), SIGMAS, {
    config: { kind: 'langevin', steps: 60, eps: 1, convention: 'half', finalDenoise: false, ...common },
    dim: 2,
    rng: createRng(2, 'langevin'),
  });
  const got = moments(samples, 2);
  t.diagnostic(`closed form ${formatMoments(target)}; after unadjusted Langevin ${formatMoments(got)}`);
  // The same check the MH samplers pass: the step's bias (mean off by ≈ 7 standard errors, variance
  // up by ≈ 15% here) fails it.
  assert.throws(() => assertMoments(samples, 2, target.mean, target.cov, 'langevin'), /expected/);
});
