import type { SampleMetrics } from '../../../src-shared/api';
import type { Mixture } from '../data/types';

/**
 * A sample is off the support when it is farther than this many stds from every component's mean:
 * ‖x − μ_k‖/σ_k > 4 for all k (the Mahalanobis distance of an isotropic component). A draw from the
 * mixture itself is off with probability P(χ²_D > 16), 3.4·10⁻⁴ in 2-D.
 */
export const OFF_SUPPORT_STDS = 4;

/**
 * Assigns each sample to the component with the highest posterior responsibility
 * r_k(x) ∝ w_k·N(x; μ_k, σ_k²I), i.e. the largest log w_k − D·log σ_k − ‖x − μ_k‖²/(2σ_k²), and
 * compares the share of samples per component with its weight. A sample with a non-finite
 * coordinate belongs to no component, so shares then sum to less than 1 (and the error shows it).
 * `offSupport` is the fraction of samples off the support (OFF_SUPPORT_STDS), non-finite ones included.
 */
export function modeShares(samples: Float32Array, dim: number, mixture: Mixture): SampleMetrics {
  const n = samples.length / dim;
  const k = mixture.means.length;
  const counts = new Array<number>(k).fill(0);
  let off = 0;
  const logPrior = mixture.weights.map((w, c) => Math.log(w) - dim * Math.log(mixture.stds[c]));
  const inverseVariance = mixture.stds.map((s) => 1 / (2 * s * s));
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestScore = -Infinity;
    let nearest = Infinity; // min_k ‖x − μ_k‖²/(2σ_k²)
    for (let c = 0; c < k; c++) {
      const mean = mixture.means[c];
      let d2 = 0;
      for (let j = 0; j < dim; j++) {
        const diff = samples[i * dim + j] - mean[j];
        d2 += diff * diff;
      }
      nearest = Math.min(nearest, d2 * inverseVariance[c]);
      const score = logPrior[c] - d2 * inverseVariance[c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best >= 0) counts[best]++;
    // Math.min keeps NaN, and NaN ≤ x is false: a non-finite sample counts as off.
    if (!(nearest <= (OFF_SUPPORT_STDS * OFF_SUPPORT_STDS) / 2)) off++;
  }
  const shares = counts.map((count, c) => ({ share: n > 0 ? count / n : 0, weight: mixture.weights[c] }));
  return {
    modeShares: shares,
    modeShareError: Math.max(...shares.map((s) => Math.abs(s.share - s.weight))),
    offSupport: n > 0 ? off / n : 0,
    n,
  };
}
