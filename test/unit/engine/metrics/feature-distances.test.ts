/**
 * The image metrics' mathematics: the symmetric eigen-solver, the Fréchet distance between two
 * Gaussians against its closed form, and KID's unbiased estimator against a hand computation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frechetDistance, frechetFeatureDistance, gaussianFit, kernelInceptionDistance } from '../../../../src-main/engine/metrics/feature-distances';
import { symmetricEigen, symmetricSqrt } from '../../../../src-main/engine/metrics/symmetric-eigen';
import { createRng } from '../../../../src-main/engine/random';
import { assertClose } from '../helpers';

/** A random symmetric positive-definite d×d matrix, B·Bᵀ + d·I. */
function randomSpd(d: number, seed: number): Float64Array {
  const rng = createRng(seed, 'spd');
  const b = Float64Array.from({ length: d * d }, () => rng.normal());
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) out[i * d + j] += b[i * d + k] * b[j * d + k];
      if (i === j) out[i * d + j] += d;
    }
  return out;
}

test('symmetricEigen: V·diag(λ)·Vᵀ rebuilds the matrix and V is orthonormal', () => {
  const d = 12;
  const a = randomSpd(d, 1);
  const { values, vectors } = symmetricEigen(a, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let rebuilt = 0;
      let gram = 0;
      for (let k = 0; k < d; k++) {
        rebuilt += vectors[i * d + k] * values[k] * vectors[j * d + k];
        gram += vectors[k * d + i] * vectors[k * d + j];
      }
      assertClose(rebuilt, a[i * d + j], 1e-9, `A[${i}][${j}]`);
      assertClose(gram, i === j ? 1 : 0, 1e-12, `VᵀV[${i}][${j}]`);
    }
});

test('symmetricSqrt: the root squares back to the matrix', () => {
  const d = 7;
  const a = randomSpd(d, 2);
  const r = symmetricSqrt(a, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let square = 0;
      for (let k = 0; k < d; k++) square += r[i * d + k] * r[k * d + j];
      assertClose(square, a[i * d + j], 1e-9, `(√A)²[${i}][${j}]`);
    }
});

test('Fréchet distance between two 2-D Gaussians with non-commuting covariances matches the closed form', () => {
  // For a 2×2 matrix M with non-negative eigenvalues, tr √M = √(tr M + 2√det M) (the eigenvalues'
  // roots r₁, r₂ satisfy (r₁ + r₂)² = λ₁ + λ₂ + 2√(λ₁λ₂)); and det(Σ₁Σ₂) = det Σ₁ · det Σ₂.
  const mu1 = [1, -2];
  const mu2 = [0.5, 3];
  const s1 = [2, 0.7, 0.7, 1];
  const s2 = [0.5, -0.3, -0.3, 3];
  const tr12 = s1[0] * s2[0] + s1[1] * s2[2] + s1[2] * s2[1] + s1[3] * s2[3];
  const det = (m: number[]) => m[0] * m[3] - m[1] * m[2];
  const traceRoot = Math.sqrt(tr12 + 2 * Math.sqrt(det(s1) * det(s2)));
  const expected = (mu1[0] - mu2[0]) ** 2 + (mu1[1] - mu2[1]) ** 2 + s1[0] + s1[3] + s2[0] + s2[3] - 2 * traceRoot;
  assertClose(frechetDistance(mu1, s1, mu2, s2, 2), expected, 1e-10, 'd²');
  assertClose(frechetDistance(mu2, s2, mu1, s1, 2), expected, 1e-10, 'd² is symmetric');
});

test('Fréchet distance between diagonal Gaussians is ‖μ₁ − μ₂‖² + Σ(√a_i − √b_i)²', () => {
  const a = [1, 4, 0.25, 9, 2];
  const b = [2, 1, 0.5, 4, 2];
  const mu1 = [0, 1, 2, 3, 4];
  const mu2 = [1, 1, 0, 3, 5];
  const diag = (v: number[]) => Float64Array.from({ length: 25 }, (_, k) => (k % 6 === 0 ? v[k / 6] : 0));
  let expected = 0;
  for (let i = 0; i < 5; i++) expected += (mu1[i] - mu2[i]) ** 2 + (Math.sqrt(a[i]) - Math.sqrt(b[i])) ** 2;
  assertClose(frechetDistance(mu1, diag(a), mu2, diag(b), 5), expected, 1e-10, 'd²');
});

test('Fréchet distance of a Gaussian to itself is 0, for a full 10-D covariance', () => {
  const d = 10;
  const s = randomSpd(d, 3);
  const mu = Array.from({ length: d }, (_, i) => i);
  assertClose(frechetDistance(mu, s, mu, s, d), 0, 1e-8, 'd²');
});

test('gaussianFit matches the mean and the (n − 1)-divisor covariance computed by hand', () => {
  // Rows (1, 2), (3, 0), (5, 4): mean (3, 2); deviations (−2, 0), (0, −2), (2, 2).
  const { mean, cov } = gaussianFit([1, 2, 3, 0, 5, 4], 2);
  assert.deepEqual(Array.from(mean), [3, 2]);
  assert.deepEqual(Array.from(cov), [(4 + 0 + 4) / 2, (0 + 0 + 4) / 2, (0 + 0 + 4) / 2, (0 + 4 + 4) / 2]);
});

test('Fréchet distance from samples approaches the closed form of their Gaussians', () => {
  // x ~ N(0, I₃), y ~ N(m, diag(4, 1, 0.25)): d² = ‖m‖² + Σ(1 − √b_i)².
  const n = 40_000;
  const rng = createRng(4, 'fid-samples');
  const m = [1, 0, -0.5];
  const sd = [2, 1, 0.5];
  const x = Float64Array.from({ length: 3 * n }, () => rng.normal());
  const y = Float64Array.from({ length: 3 * n }, (_, k) => m[k % 3] + sd[k % 3] * rng.normal());
  const expected = m.reduce((s, v) => s + v * v, 0) + sd.reduce((s, v) => s + (1 - v) ** 2, 0);
  // Each moment estimate is off by O(1/√n) ≈ 0.005 per entry.
  assertClose(frechetFeatureDistance(x, y, 3), expected, 0.05, 'd² from samples');
});

test('KID on a tiny 1-D example equals the unbiased MMD² computed by hand', () => {
  // d = 1, k(a, b) = (ab + 1)³. x = {0, 1}, y = {2, 3}.
  // x pairs: k(0, 1) = 1. y pairs: k(2, 3) = 7³ = 343. Cross: k(0,2) = k(0,3) = 1, k(1,2) = 27, k(1,3) = 64.
  // MMD²_u = 2·1/(2·1) + 2·343/(2·1) − 2·(1 + 1 + 27 + 64)/(2·2).
  const expected = 1 + 343 - (2 * 93) / 4;
  assertClose(kernelInceptionDistance([0, 1], [2, 3], 1), expected, 1e-9, 'KID');
});

test('KID with sets of different sizes in 2-D matches a term-by-term sum of the kernel', () => {
  const x = [0.5, -1, 2, 0, 1, 1];
  const y = [0, 0, -1, 2];
  const k = (a: number[], b: number[]) => ((a[0] * b[0] + a[1] * b[1]) / 2 + 1) ** 3;
  const xs = [x.slice(0, 2), x.slice(2, 4), x.slice(4, 6)];
  const ys = [y.slice(0, 2), y.slice(2, 4)];
  let within = 0;
  for (const [i, a] of xs.entries()) for (const [j, b] of xs.entries()) if (i !== j) within += k(a, b) / (3 * 2);
  for (const [i, a] of ys.entries()) for (const [j, b] of ys.entries()) if (i !== j) within += k(a, b) / (2 * 1);
  let cross = 0;
  for (const a of xs) for (const b of ys) cross += k(a, b) / (3 * 2);
  assertClose(kernelInceptionDistance(x, y, 2), within - 2 * cross, 1e-9, 'KID');
});

test('KID between two independent draws of one distribution is 0 within its sampling error', () => {
  // 8 independent pairs of sets from N(0, I₅): the mean of their KIDs is within 3 standard errors of 0.
  const rng = createRng(5, 'kid-null');
  const values = Array.from({ length: 8 }, () => {
    const draw = () => Float64Array.from({ length: 5 * 200 }, () => rng.normal());
    return kernelInceptionDistance(draw(), draw(), 5);
  });
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  assert.ok(Math.abs(mean) <= (3 * sd) / Math.sqrt(values.length), `mean KID ${mean}, standard error ${sd / Math.sqrt(values.length)}`);
  // And a shifted distribution is far outside that error.
  const shifted = kernelInceptionDistance(
    Float64Array.from({ length: 5 * 200 }, () => rng.normal()),
    Float64Array.from({ length: 5 * 200 }, () => 1 + rng.normal()),
    5,
  );
  assert.ok(shifted > 10 * sd, `KID of a shifted distribution ${shifted} against the null's spread ${sd}`);
});
