import type { ToyGenerator } from './types';

/**
 * A cells × cells board of squares of side `scale` centred at 0; column i and row j count from the
 * lower left. The squares with i + j even are filled (for 4 cells, FFJORD's checkerboard: 8 of 16),
 * each equally likely, and a point is uniform on its square.
 */
export const checkerboard: ToyGenerator<{ cells: number; scale: number }> = (config, n, rng) => {
  const { cells, scale } = config;
  const filled: [number, number][] = [];
  for (let j = 0; j < cells; j++) for (let i = 0; i < cells; i++) if ((i + j) % 2 === 0) filled.push([i, j]);
  const origin = (-cells * scale) / 2;
  const points = new Float32Array(2 * n);
  for (let p = 0; p < n; p++) {
    const [i, j] = filled[rng.int(filled.length)];
    points[2 * p] = origin + (i + rng.uniform()) * scale;
    points[2 * p + 1] = origin + (j + rng.uniform()) * scale;
  }
  return points;
};
