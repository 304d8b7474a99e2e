import type { ToyGenerator } from './types';
import { writePoint } from './types';

/**
 * Concentric circles centred at 0. A ring is picked with probability ∝ its radius, so the points
 * are spread evenly along the total length of the rings; the angle is uniform.
 */
export const rings: ToyGenerator<{ radii: number[]; noise: number }> = (config, n, rng) => {
  const total = config.radii.reduce((a, b) => a + b, 0);
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform() * total;
    let k = 0;
    while (k < config.radii.length - 1 && u >= config.radii[k]) u -= config.radii[k++];
    const r = config.radii[k];
    const angle = 2 * Math.PI * rng.uniform();
    writePoint(points, i, r * Math.cos(angle), r * Math.sin(angle), config.noise, rng);
  }
  return points;
};
