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

/** An unbiased MMD² and the standard error of that estimate (null below 4 points per set, where it has no estimate). */
export interface Mmd2Estimate {
  mmd2: number;
  standardError: number | null;
}

/**
 * Gretton et al. 2012, Lemma 6 (eq. 3), for two sets of equal size n (row-major n × dim):
 * MMD²_u = 1/(n(n−1)) Σ_{i≠j} h_ij, h_ij = k(x_i, x_j) + k(y_i, y_j) − k(x_i, y_j) − k(x_j, y_i).
 * Unbiased, so it may come out slightly below 0 when the distributions agree. O(n²·dim).
 *
 * MMD²_u is a U-statistic of order 2 in the pairs z_i = (x_i, y_i), so its variance is Hoeffding's
 * (1948) Var U = 2/(n(n−1))·[2(n−2)ζ₁ + ζ₂], ζ₁ = Cov(h(Z, Z′), h(Z, Z″)), ζ₂ = Var h(Z, Z′).
 * Each term is estimated without bias from the same h_ij, with S_i = Σ_{j≠i} h_ij and
 * Q = Σ_{i≠j} h_ij²: E[h(Z, Z′)h(Z, Z″)] by (Σ_i S_i² − Q)/(n(n−1)(n−2)), E[h²] by Q/(n(n−1)), and
 * θ² = (MMD²)² by the mean of h_ij·h_kl over distinct i, j, k, l, (T² − 4Σ_i S_i² + 2Q)/(n(n−1)(n−2)(n−3))
 * with T = Σ_{i≠j} h_ij. The variance estimate is then unbiased (it equals U² − θ̂²); a negative one
 * (possible when the true variance is tiny) is reported as 0. The kernel is taken as fixed: a
 * bandwidth chosen from the same points adds variance this does not count.
 */
export function mmd2UnbiasedEstimate(x: Float32Array, y: Float32Array, dim: number, kernel: RadialKernel): Mmd2Estimate {
  const n = x.length / dim;
  if (y.length !== x.length) throw new Error(`MMD: the sets must have the same size (${n} and ${y.length / dim} points)`);
  if (n < 2) throw new Error('MMD: needs at least 2 points per set');
  // h(z_i, z_j) is symmetric: sum it over i < j and double. Summed pair by pair, it is exactly 0 for
  // every pair of identical sets, so x = y scores exactly 0.
  let sum = 0;
  let squares = 0;
  const rowSums = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const h =
        kernel(squaredDistance(x, i, x, j, dim)) +
        kernel(squaredDistance(y, i, y, j, dim)) -
        kernel(squaredDistance(x, i, y, j, dim)) -
        kernel(squaredDistance(x, j, y, i, dim));
      sum += h;
      squares += h * h;
      rowSums[i] += h;
      rowSums[j] += h;
    }
  const pairs = n * (n - 1);
  const mmd2 = (2 * sum) / pairs;
  if (n < 4) return { mmd2, standardError: null };
  const total = 2 * sum;
  const q = 2 * squares;
  let rowSquares = 0;
  for (const s of rowSums) rowSquares += s * s;
  const thetaSquared = (total * total - 4 * rowSquares + 2 * q) / (pairs * (n - 2) * (n - 3));
  const zeta1 = (rowSquares - q) / (pairs * (n - 2)) - thetaSquared;
  const zeta2 = q / pairs - thetaSquared;
  const variance = (2 / pairs) * (2 * (n - 2) * zeta1 + zeta2);
  return { mmd2, standardError: Math.sqrt(Math.max(0, variance)) };
}

/** MMD²_u alone (see mmd2UnbiasedEstimate). */
export function mmd2Unbiased(x: Float32Array, y: Float32Array, dim: number, kernel: RadialKernel): number {
  return mmd2UnbiasedEstimate(x, y, dim, kernel).mmd2;
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

/** MMD²_u and its standard error with the RBF kernel; the bandwidth defaults to the median heuristic on the pooled set. */
export function rbfMmd2(x: Float32Array, y: Float32Array, dim: number, bandwidth = medianPairwiseDistance(x, y, dim)): Mmd2Estimate & { bandwidth: number } {
  return { ...mmd2UnbiasedEstimate(x, y, dim, rbfKernel(bandwidth)), bandwidth };
}

/**
 * The energy distance 2E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖ (Székely & Rizzo 2013), estimated as the
 * unbiased MMD² of k(x, y) = −‖x − y‖, with that estimate's standard error.
 */
export function energyDistanceEstimate(x: Float32Array, y: Float32Array, dim: number): Mmd2Estimate {
  return mmd2UnbiasedEstimate(x, y, dim, (d2) => -Math.sqrt(d2));
}

/** The energy distance's estimate alone (see energyDistanceEstimate). */
export function energyDistance(x: Float32Array, y: Float32Array, dim: number): number {
  return energyDistanceEstimate(x, y, dim).mmd2;
}
