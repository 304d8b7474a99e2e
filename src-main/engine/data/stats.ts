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

/** Per coordinate mean. */
export function dataMean(data: Pick<Dataset, 'points' | 'n' | 'dim'>): number[] {
  const mean = new Array<number>(data.dim).fill(0);
  for (let i = 0; i < data.n; i++) for (let j = 0; j < data.dim; j++) mean[j] += data.points[i * data.dim + j];
  return mean.map((m) => m / data.n);
}
