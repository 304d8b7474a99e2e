import type { Rng } from '../random';
import type { Dataset } from './types';

/**
 * At most `max` rows, chosen uniformly without replacement (partial Fisher–Yates), in their original
 * order; all rows when there are few enough. For display: the UI needs no more than a few thousand.
 */
export function subsampleRows(data: Pick<Dataset, 'points' | 'n' | 'dim'>, max: number, rng: Rng): Float32Array {
  if (data.n <= max) return data.points.slice(0, data.n * data.dim);
  const index = new Int32Array(data.n);
  for (let i = 0; i < data.n; i++) index[i] = i;
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(data.n - i);
    [index[i], index[j]] = [index[j], index[i]];
  }
  const chosen = index.subarray(0, max).sort();
  const out = new Float32Array(max * data.dim);
  chosen.forEach((row, i) => out.set(data.points.subarray(row * data.dim, (row + 1) * data.dim), i * data.dim));
  return out;
}
