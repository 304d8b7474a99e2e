/**
 * Distances between two sets of feature vectors (row-major n × d), as image-generation metrics
 * use them: the Fréchet distance between Gaussians fitted to each set (FID, Heusel et al. 2017)
 * and the kernel distance (KID, Bińkowski et al. 2018). Accumulated in float64.
 */
import { symmetricEigen, symmetricSqrt } from './symmetric-eigen';

/** Mean and covariance (divisor n − 1, as numpy's cov) of n rows of d features. */
export function gaussianFit(features: ArrayLike<number>, d: number): { mean: Float64Array; cov: Float64Array } {
  const n = features.length / d;
  if (n < 2) throw new Error(`gaussianFit: needs at least 2 rows, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = features[i * d + j] - mean[j];
    for (let j = 0; j < d; j++) {
      const cj = centred[j];
      for (let k = j; k < d; k++) cov[j * d + k] += cj * centred[k];
    }
  }
  for (let j = 0; j < d; j++)
    for (let k = j; k < d; k++) {
      cov[j * d + k] /= n - 1;
      cov[k * d + j] = cov[j * d + k];
    }
  return { mean, cov };
}

function multiply(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  return out;
}

/**
 * d² between N(μ₁, Σ₁) and N(μ₂, Σ₂) in the 2-Wasserstein metric (Dowson & Landau 1982):
 * ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}).
 * tr((Σ₁Σ₂)^{1/2}) is computed as Σ√λ of the symmetric PSD matrix Σ₁^{1/2}·Σ₂·Σ₁^{1/2}, which is
 * similar to Σ₁Σ₂ and so has the same eigenvalues, without a non-symmetric square root.
 */
export function frechetDistance(mean1: ArrayLike<number>, cov1: ArrayLike<number>, mean2: ArrayLike<number>, cov2: ArrayLike<number>, d: number): number {
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (mean1[j] - mean2[j]) ** 2;
  const root1 = symmetricSqrt(cov1, d);
  const middle = multiply(multiply(root1, cov2, d), root1, d);
  // Symmetrise against rounding before the symmetric solver.
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) middle[i * d + j] = middle[j * d + i] = (middle[i * d + j] + middle[j * d + i]) / 2;
  let traceRoot = 0;
  for (const lambda of symmetricEigen(middle, d).values) traceRoot += Math.sqrt(Math.max(0, lambda));
  let trace = 0;
  for (let j = 0; j < d; j++) trace += cov1[j * d + j] + cov2[j * d + j];
  return meanTerm + trace - 2 * traceRoot;
}

/** FID's statistic between two feature sets: the Fréchet distance of their Gaussian fits. */
export function frechetFeatureDistance(x: ArrayLike<number>, y: ArrayLike<number>, d: number): number {
  const a = gaussianFit(x, d);
  const b = gaussianFit(y, d);
  return frechetDistance(a.mean, a.cov, b.mean, b.cov, d);
}

/** KID's kernel, k(x, y) = (xᵀy/d + 1)³ (Bińkowski et al. 2018, §4). */
function polynomialKernel(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number): number {
  let dot = 0;
  for (let c = 0; c < d; c++) dot += a[i * d + c] * b[j * d + c];
  return (dot / d + 1) ** 3;
}

/**
 * KID: the unbiased MMD² between m rows x and n rows y (Gretton et al. 2012, eq. 3, for sets of
 * different sizes) with the cubic polynomial kernel,
 * 1/(m(m−1)) Σ_{i≠j} k(x_i, x_j) + 1/(n(n−1)) Σ_{i≠j} k(y_i, y_j) − 2/(mn) Σ_{i,j} k(x_i, y_j).
 * May dip below 0 by sampling error when the distributions agree. O((m + n)²·d).
 */
export function kernelInceptionDistance(x: ArrayLike<number>, y: ArrayLike<number>, d: number): number {
  const m = x.length / d;
  const n = y.length / d;
  if (m < 2 || n < 2) throw new Error(`KID: needs at least 2 rows per set (got ${m} and ${n})`);
  let xx = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) xx += polynomialKernel(x, i, x, j, d);
  let yy = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) yy += polynomialKernel(y, i, y, j, d);
  let xy = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) xy += polynomialKernel(x, i, y, j, d);
  return (2 * xx) / (m * (m - 1)) + (2 * yy) / (n * (n - 1)) - (2 * xy) / (m * n);
}
