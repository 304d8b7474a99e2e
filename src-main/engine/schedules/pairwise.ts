/**
 * Percentiles of a point set's pairwise Euclidean distances, for the schedules that take their σ
 * range from the data (adaptive, NCSNv2).
 */
import type { Dataset } from '../data';
import { subsampleRows } from '../data';
import type { Rng } from '../random';

/**
 * The distances are computed among at most this many rows (a seeded uniform subsample beyond), and
 * fewer when the dimension is large, so that rows²/2 · D stays within PAIR_WORK (a fraction of a
 * second): all pairs of the default 5000-point mixture in 2-D, about 800 MNIST images.
 */
const MAX_ROWS = 5000;
const PAIR_WORK = 2.5e8;

/** The rows the distances are taken among: `data` whole when it is small enough. */
export function pairRows(data: Pick<Dataset, 'points' | 'n' | 'dim'>, rng: Rng): { points: Float32Array; n: number } {
  const max = Math.max(2, Math.min(MAX_ROWS, Math.floor(Math.sqrt((2 * PAIR_WORK) / data.dim))));
  const points = subsampleRows(data, max, rng);
  return { points, n: points.length / data.dim };
}

/** All n(n−1)/2 distances ‖x_i − x_j‖, i < j (sums in float64, kept as float32 like the data). */
export function pairwiseDistances(points: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = i * dim;
    for (let j = i + 1; j < n; j++) {
      const b = j * dim;
      let sum = 0;
      for (let d = 0; d < dim; d++) {
        const diff = points[a + d] - points[b + d];
        sum += diff * diff;
      }
      out[k++] = Math.sqrt(sum);
    }
  }
  return out;
}

/**
 * Rearranges `values` so that values[k] is the k-th smallest, everything before it ≤ and after it
 * ≥ (Hoare's quickselect, median-of-three pivots): O(N) on average, where sorting millions of
 * distances for two order statistics would take O(N log N).
 */
function select(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const pivot = Math.max(Math.min(values[lo], values[mid]), Math.min(Math.max(values[lo], values[mid]), values[hi]));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of `values`, Hyndman & Fan's Type 7 (numpy's default): at rank
 * h = (N−1)·p/100 of the sorted values, linear between the order statistics ⌊h⌋ and ⌊h⌋+1.
 * Reorders `values`.
 */
export function percentile(values: Float32Array, p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const h = ((values.length - 1) * p) / 100;
  const below = Math.floor(h);
  const low = select(values, below);
  if (below === h || below + 1 >= values.length) return low;
  // After the selection everything past `below` is ≥ values[below]: the next order statistic is their minimum.
  let next = Infinity;
  for (let i = below + 1; i < values.length; i++) if (values[i] < next) next = values[i];
  return low + (h - below) * (next - low);
}
