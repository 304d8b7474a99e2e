/**
 * Two-sample discrepancies written as an MMD: the RBF-kernel MMD² and the energy distance, which is
 * the MMD² of the distance kernel k(x, y) = −‖x − y‖ (Sejdinovic et al. 2013). Both use the same
 * unbiased estimator, so identical sets score exactly 0 and independent draws of one distribution
 * score 0 on average.
 */
import { pairwiseDistances, percentile } from '../schedules/pairwise';

/** A kernel as a function of the squared distance ‖x − y‖². */
export type RadialKernel = (squaredDistance: number) => number;

function squaredDistance(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let d2 = 0;
  for (let c = 0; c < dim; c++) {
    const diff = a[i * dim + c] - b[j * dim + c];
    d2 += diff * diff;
  }
  return d2;
}

/**
 * Gretton et al. 2012, Lemma 6 (eq. 3), for two sets of equal size n (row-major n × dim):
 * MMD²_u = 1/(n(n−1)) Σ_{i≠j} [k(x_i, x_j) + k(y_i, y_j) − k(x_i, y_j) − k(x_j, y_i)].
 * Unbiased, so it may come out slightly below 0 when the distributions agree. O(n²·dim).
 */
export function mmd2Unbiased(x: Float32Array, y: Float32Array, dim: number, kernel: RadialKernel): number {
  const n = x.length / dim;
  if (y.length !== x.length) throw new Error(`MMD: the sets must have the same size (${n} and ${y.length / dim} points)`);
  if (n < 2) throw new Error('MMD: needs at least 2 points per set');
  // h(z_i, z_j) is symmetric: sum it over i < j and double. Summed pair by pair, it is exactly 0 for
  // every pair of identical sets, so x = y scores exactly 0.
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      sum +=
        kernel(squaredDistance(x, i, x, j, dim)) +
        kernel(squaredDistance(y, i, y, j, dim)) -
        kernel(squaredDistance(x, i, y, j, dim)) -
        kernel(squaredDistance(x, j, y, i, dim));
  return (2 * sum) / (n * (n - 1));
}

/** k(x, y) = exp(−‖x − y‖²/(2h²)). */
export const rbfKernel =
  (bandwidth: number): RadialKernel =>
  (d2) =>
    Math.exp(-d2 / (2 * bandwidth * bandwidth));

/**
 * The median heuristic's bandwidth: the median Euclidean distance over all pairs i < j of the pooled
 * set x ∪ y (for an even number of pairs, the mean of the two middle ones). O((2n)²) distances,
 * the same pairwise distances and percentile the data-driven schedules use.
 */
export function medianPairwiseDistance(x: Float32Array, y: Float32Array, dim: number): number {
  const pooled = new Float32Array(x.length + y.length);
  pooled.set(x);
  pooled.set(y, x.length);
  const m = pooled.length / dim;
  if (m < 2) throw new Error('median heuristic: needs at least 2 points');
  return percentile(pairwiseDistances(pooled, m, dim), 50);
}

/** MMD²_u with the RBF kernel; the bandwidth defaults to the median heuristic on the pooled set. */
export function rbfMmd2(x: Float32Array, y: Float32Array, dim: number, bandwidth = medianPairwiseDistance(x, y, dim)): { mmd2: number; bandwidth: number } {
  return { mmd2: mmd2Unbiased(x, y, dim, rbfKernel(bandwidth)), bandwidth };
}

/**
 * The energy distance 2E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖ (Székely & Rizzo 2013), estimated as the
 * unbiased MMD² of k(x, y) = −‖x − y‖.
 */
export function energyDistance(x: Float32Array, y: Float32Array, dim: number): number {
  return mmd2Unbiased(x, y, dim, (d2) => -Math.sqrt(d2));
}
