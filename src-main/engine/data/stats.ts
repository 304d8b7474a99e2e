import type { Dataset } from './types';

/** Per coordinate: the smallest and largest value over the points (NaN-free data assumed). */
export function boundingBox(data: Pick<Dataset, 'points' | 'n' | 'dim'>): { lo: number[]; hi: number[] } {
  const lo = new Array<number>(data.dim).fill(Infinity);
  const hi = new Array<number>(data.dim).fill(-Infinity);
  for (let i = 0; i < data.n; i++)
    for (let j = 0; j < data.dim; j++) {
      const v = data.points[i * data.dim + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  return { lo, hi };
}

/**
 * The bounding box with each side widened by `fraction` of its width: the sampler's uniform start
 * and the score field's grid both cover the data with this margin.
 */
export function paddedBoundingBox(data: Pick<Dataset, 'points' | 'n' | 'dim'>, fraction: number): { lo: number[]; hi: number[] } {
  const { lo, hi } = boundingBox(data);
  for (let j = 0; j < data.dim; j++) {
    const pad = fraction * (hi[j] - lo[j]);
    lo[j] -= pad;
    hi[j] += pad;
  }
  return { lo, hi };
}

/** Per coordinate mean. */
export function dataMean(data: Pick<Dataset, 'points' | 'n' | 'dim'>): number[] {
  const mean = new Array<number>(data.dim).fill(0);
  for (let i = 0; i < data.n; i++) for (let j = 0; j < data.dim; j++) mean[j] += data.points[i * data.dim + j];
  return mean.map((m) => m / data.n);
}
