import type { Rng } from '../random';

/**
 * The sliced 2-Wasserstein distance between two point sets of equal size (row-major n × dim):
 * SW₂ = √(mean over projections θ of W₂²(θᵀx, θᵀy)), θ uniform on the unit sphere (a normalised
 * Gaussian vector drawn from `rng`). In 1-D, W₂² between two empirical sets of equal size is the
 * mean squared difference of their sorted values (the quantile coupling is optimal).
 */
export function slicedWasserstein(x: Float32Array, y: Float32Array, dim: number, projections: number, rng: Rng): number {
  const n = x.length / dim;
  if (y.length !== x.length) throw new Error(`sliced Wasserstein: the sets must have the same size (${n} and ${y.length / dim} points)`);
  if (n < 1) throw new Error('sliced Wasserstein: needs at least 1 point per set');
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const theta = new Float64Array(dim);
  let total = 0;
  for (let p = 0; p < projections; p++) {
    let norm = 0;
    for (let c = 0; c < dim; c++) {
      theta[c] = rng.normal();
      norm += theta[c] * theta[c];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) {
      let a = 0;
      let b = 0;
      for (let c = 0; c < dim; c++) {
        a += x[i * dim + c] * theta[c];
        b += y[i * dim + c] * theta[c];
      }
      px[i] = a / norm;
      py[i] = b / norm;
    }
    px.sort();
    py.sort();
    let w2 = 0;
    for (let i = 0; i < n; i++) w2 += (px[i] - py[i]) ** 2;
    total += w2 / n;
  }
  return Math.sqrt(total / projections);
}
