/**
 * The two-sample distances against closed forms for Gaussians: each estimator, averaged over
 * independent seeded repeats, lands within 4 standard errors of the exact value (and the standard
 * error is small beside it, so the check has teeth). Identical sets score exactly 0.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { energyDistance, medianPairwiseDistance, mmd2Unbiased, mmd2UnbiasedEstimate, rbfKernel, rbfMmd2, slicedWasserstein } from '../../../../src-main/engine/metrics';
import { createRng, type Rng } from '../../../../src-main/engine/random';

/** n points of N(mean, std²·I), row-major. */
function gaussian(n: number, mean: number[], std: number, rng: Rng): Float32Array {
  const dim = mean.length;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = mean[j] + std * rng.normal();
  return out;
}

/** The estimate over `repeats` independent draws: mean and standard error of the mean. */
function monteCarlo(repeats: number, estimate: (rng: Rng) => number): { mean: number; se: number } {
  const values = Array.from({ length: repeats }, (_, r) => estimate(createRng(r, 'metric-test')));
  const mean = values.reduce((a, b) => a + b, 0) / repeats;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (repeats - 1);
  return { mean, se: Math.sqrt(variance / repeats) };
}

function assertWithinMonteCarlo(got: { mean: number; se: number }, exact: number, what: string, maxRelativeSe = 0.1): void {
  assert.ok(Math.abs(got.mean - exact) <= 4 * got.se, `${what}: ${got.mean} ± ${got.se} (1 SE), exact ${exact}`);
  if (exact !== 0) assert.ok(got.se < maxRelativeSe * Math.abs(exact), `${what}: SE ${got.se} too large to test ${exact}`);
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5·10⁻⁷, far below the Monte Carlo error). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

/** E|Z| for Z ~ N(m, s²) (the folded normal's mean). */
function foldedMean(m: number, s: number): number {
  return s * Math.sqrt(2 / Math.PI) * Math.exp(-(m * m) / (2 * s * s)) + m * erf(m / (s * Math.SQRT2));
}

test('RBF MMD² between two isotropic Gaussians matches its closed form at a fixed bandwidth', () => {
  // E k(X, Y) for X ~ N(μ1, s1²I), Y ~ N(μ2, s2²I) in D dimensions, k = exp(−‖x−y‖²/(2h²)):
  // (h²/(h²+s1²+s2²))^{D/2}·exp(−‖μ1−μ2‖²/(2(h²+s1²+s2²))).
  const [mu1, mu2, s1, s2, h] = [[0, 0], [1, 0.5], 1, 0.7, 1.2];
  const dim = 2;
  const ek = (a: number, b: number, d2: number) => (h * h / (h * h + a * a + b * b)) ** (dim / 2) * Math.exp(-d2 / (2 * (h * h + a * a + b * b)));
  const exact = ek(s1, s1, 0) + ek(s2, s2, 0) - 2 * ek(s1, s2, 1 + 0.25);
  const got = monteCarlo(20, (rng) => mmd2Unbiased(gaussian(400, mu1, s1, rng), gaussian(400, mu2, s2, rng), dim, rbfKernel(h)));
  assertWithinMonteCarlo(got, exact, 'MMD²');
});

test('MMD² and energy distance of two draws of one distribution are 0 on average, and exactly 0 for identical sets', () => {
  const x = gaussian(300, [1, -1], 2, createRng(0, 'x'));
  assert.equal(rbfMmd2(x, x, 2).mmd2, 0);
  assert.equal(energyDistance(x, x, 2), 0);
  assert.equal(slicedWasserstein(x, x, 2, 16, createRng(0, 'p')), 0);
  const sameMmd = monteCarlo(20, (rng) => rbfMmd2(gaussian(300, [1, -1], 2, rng), gaussian(300, [1, -1], 2, rng), 2).mmd2);
  assert.ok(Math.abs(sameMmd.mean) <= 4 * sameMmd.se, `MMD² ${sameMmd.mean} ± ${sameMmd.se}`);
  const sameEnergy = monteCarlo(20, (rng) => energyDistance(gaussian(300, [1, -1], 2, rng), gaussian(300, [1, -1], 2, rng), 2));
  assert.ok(Math.abs(sameEnergy.mean) <= 4 * sameEnergy.se, `energy ${sameEnergy.mean} ± ${sameEnergy.se}`);
});

test('the MMD² standard error is √(U² − θ̂²), θ̂² the mean of h_ij·h_kl over distinct i, j, k, l, enumerated by brute force', () => {
  const rng = createRng(5, 'se-brute');
  const n = 10;
  const x = gaussian(n, [0, 0], 1, rng);
  const y = gaussian(n, [1.5, 0], 1.3, rng);
  const k = rbfKernel(1.1);
  const kk = (a: Float32Array, i: number, b: Float32Array, j: number) => k((a[2 * i] - b[2 * j]) ** 2 + (a[2 * i + 1] - b[2 * j + 1]) ** 2);
  const h = (i: number, j: number) => kk(x, i, x, j) + kk(y, i, y, j) - kk(x, i, y, j) - kk(x, j, y, i);
  let u = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) u += h(i, j) / (n * (n - 1));
  let theta2 = 0;
  let tuples = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++)
          if (new Set([i, j, a, b]).size === 4) {
            theta2 += h(i, j) * h(a, b);
            tuples++;
          }
  theta2 /= tuples;
  const got = mmd2UnbiasedEstimate(x, y, 2, k);
  assert.ok(Math.abs(got.mmd2 - u) < 1e-12, `${got.mmd2} vs ${u}`);
  assert.ok(u * u - theta2 > 0, 'the check needs a positive variance estimate');
  assert.ok(Math.abs(got.standardError! - Math.sqrt(u * u - theta2)) < 1e-9 * got.standardError!, `${got.standardError} vs ${Math.sqrt(u * u - theta2)}`);
  // Below 4 points per set there are no four distinct indices: no estimate.
  assert.equal(mmd2UnbiasedEstimate(x.subarray(0, 6), y.subarray(0, 6), 2, k).standardError, null);
  // Identical sets: every h_ij is exactly 0, and so is the error.
  assert.deepEqual(mmd2UnbiasedEstimate(x, x, 2, k), { mmd2: 0, standardError: 0 });
});

test('the MMD² variance estimate is unbiased: its mean over repeats matches the spread of MMD² itself', () => {
  // Shifted Gaussians (ζ₁ > 0, the variance is O(1/n)) and one distribution twice (degenerate,
  // ζ₁ = 0, O(1/n²)): in both, the mean estimated variance matches the repeats' sample variance of
  // MMD²_u within 4 standard errors of the difference.
  const repeats = 1000;
  const n = 40;
  for (const shift of [0.7, 0]) {
    const runs = Array.from({ length: repeats }, (_, r) => {
      const rng = createRng(r, `se-monte-carlo-${shift}`);
      return mmd2UnbiasedEstimate(gaussian(n, [0, 0], 1, rng), gaussian(n, [shift, 0], 1, rng), 2, rbfKernel(1));
    });
    const values = runs.map((e) => e.mmd2);
    const estimates = runs.map((e) => e.standardError! ** 2);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const m = mean(values);
    const sampleVariance = values.reduce((a, v) => a + (v - m) ** 2, 0) / (repeats - 1);
    // The sample variance's own standard error, from the fourth central moment; the mean estimate's from its spread.
    const m4 = mean(values.map((v) => (v - m) ** 4));
    const seSample = Math.sqrt((m4 - sampleVariance ** 2) / repeats);
    const e = mean(estimates);
    const seEstimate = Math.sqrt(estimates.reduce((a, v) => a + (v - e) ** 2, 0) / (repeats - 1) / repeats);
    const tolerance = 4 * Math.hypot(seSample, seEstimate);
    assert.ok(Math.abs(e - sampleVariance) <= tolerance, `shift ${shift}: mean estimate ${e}, sample variance ${sampleVariance}, tolerance ${tolerance}`);
    // Teeth: the tolerance is a small part of the variance being checked.
    assert.ok(tolerance < 0.4 * sampleVariance, `shift ${shift}: tolerance ${tolerance} vs ${sampleVariance}`);
  }
});

test('the median heuristic is the median distance over all pairs of the pooled set', () => {
  // 1-D points 0, 1 | 3, 7: distances 1, 3, 7, 2, 6, 4; sorted 1 2 3 4 6 7, median (3 + 4)/2.
  assert.equal(medianPairwiseDistance(Float32Array.of(0, 1), Float32Array.of(3, 7), 1), 3.5);
  // 0, 1 | 3: distances 1, 3, 2; median 2.
  assert.equal(medianPairwiseDistance(Float32Array.of(0, 1), Float32Array.of(3), 1), 2);
  // Against a full sort, for an odd and an even number of pairs (2-D: quickselect on ties and spread).
  const rng = createRng(3, 'median');
  for (const [nx, ny] of [
    [40, 37],
    [30, 30],
  ]) {
    const x = gaussian(nx, [0, 0], 1, rng);
    const y = gaussian(ny, [2, 0], 0.5, rng);
    const pooled = [...x, ...y];
    const d: number[] = [];
    for (let i = 0; i < nx + ny; i++)
      for (let j = i + 1; j < nx + ny; j++) d.push(Math.hypot(pooled[2 * i] - pooled[2 * j], pooled[2 * i + 1] - pooled[2 * j + 1]));
    d.sort((a, b) => a - b);
    const m = d.length;
    const expected = m % 2 === 1 ? d[(m - 1) / 2] : (d[m / 2 - 1] + d[m / 2]) / 2;
    // The distances are kept in float32, like the data.
    assert.ok(Math.abs(medianPairwiseDistance(x, y, 2) - expected) < 1e-6 * expected, `${nx}+${ny} points`);
  }
});

test('sliced W₂ in 1-D is W₂ between the Gaussians, √((a − b)² + (s − t)²)', () => {
  const [a, b, s, t] = [0.5, -1, 1, 2];
  const exact = Math.sqrt((a - b) ** 2 + (s - t) ** 2);
  // The empirical W₂ is biased upwards by O(log n / n) in W₂²; at n = 20,000 that is far below the spread.
  const got = monteCarlo(10, (rng) => slicedWasserstein(gaussian(20_000, [a], s, rng), gaussian(20_000, [b], t, rng), 1, 1, rng));
  assertWithinMonteCarlo(got, exact, 'W₂');
});

test('sliced W₂² between isotropic Gaussians in 2-D averages the projections: ‖μ1 − μ2‖²/D + (s − t)²', () => {
  // θᵀX ~ N(θᵀμ1, s²) for a unit θ, so W₂² = (θᵀΔ)² + (s − t)², and E(θᵀΔ)² = ‖Δ‖²/D for θ uniform on the sphere.
  const [mu1, mu2, s, t] = [[0, 0], [2, 1], 1, 0.5];
  const exact = (4 + 1) / 2 + (s - t) ** 2;
  const got = monteCarlo(10, (rng) => slicedWasserstein(gaussian(5000, mu1, s, rng), gaussian(5000, mu2, t, rng), 2, 64, rng) ** 2);
  assertWithinMonteCarlo(got, exact, 'SW₂²');
});

test('energy distance between 1-D Gaussians matches its closed form', () => {
  // 2E|X − Y| − E|X − X′| − E|Y − Y′|, X − Y ~ N(a − b, s² + t²), X − X′ ~ N(0, 2s²): E|X − X′| = 2s/√π.
  const [a, b, s, t] = [0, 1, 1, 0.5];
  const exact = 2 * foldedMean(a - b, Math.hypot(s, t)) - (2 * s) / Math.sqrt(Math.PI) - (2 * t) / Math.sqrt(Math.PI);
  const got = monteCarlo(20, (rng) => energyDistance(gaussian(400, [a], s, rng), gaussian(400, [b], t, rng), 1));
  assertWithinMonteCarlo(got, exact, 'energy distance');
});

test('the distances refuse sets of different sizes', () => {
  assert.throws(() => mmd2Unbiased(new Float32Array(4), new Float32Array(6), 2, rbfKernel(1)), /same size \(2 and 3 points\)/);
  assert.throws(() => slicedWasserstein(new Float32Array(4), new Float32Array(6), 2, 4, createRng(0, 'p')), /same size/);
});
