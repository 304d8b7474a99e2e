import type { SampleMetrics } from '../../common/api';
import type { Mixture } from '../data/types';

/**
 * Assigns each sample to the component with the highest posterior responsibility
 * r_k(x) ∝ w_k·N(x; μ_k, σ_k²I), i.e. the largest log w_k − D·log σ_k − ‖x − μ_k‖²/(2σ_k²), and
 * compares the share of samples per component with its weight. A sample with a non-finite
 * coordinate belongs to no component, so shares then sum to less than 1 (and the error shows it).
 */
export function modeShares(samples: Float32Array, dim: number, mixture: Mixture): SampleMetrics {
  const n = samples.length / dim;
  const k = mixture.means.length;
  const counts = new Array<number>(k).fill(0);
  const logPrior = mixture.weights.map((w, c) => Math.log(w) - dim * Math.log(mixture.stds[c]));
  const inverseVariance = mixture.stds.map((s) => 1 / (2 * s * s));
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < k; c++) {
      const mean = mixture.means[c];
      let d2 = 0;
      for (let j = 0; j < dim; j++) {
        const diff = samples[i * dim + j] - mean[j];
        d2 += diff * diff;
      }
      const score = logPrior[c] - d2 * inverseVariance[c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best >= 0) counts[best]++;
  }
  const shares = counts.map((count, c) => ({ share: n > 0 ? count / n : 0, weight: mixture.weights[c] }));
  return {
    modeShares: shares,
    modeShareError: Math.max(...shares.map((s) => Math.abs(s.share - s.weight))),
    n,
  };
}
