import type { Dataset } from '../data/types';
import type { Rng } from '../random';

/** A minibatch of `size` rows drawn uniformly with replacement, row-major [size, dim]. */
export function sampleBatch(data: Pick<Dataset, 'points' | 'n' | 'dim'>, size: number, rng: Rng, out = new Float32Array(size * data.dim)): Float32Array {
  const dim = data.dim;
  for (let i = 0; i < size; i++) {
    const row = rng.int(data.n);
    out.set(data.points.subarray(row * dim, (row + 1) * dim), i * dim);
  }
  return out;
}
