import type { ToyGenerator } from './types';
import { writePoint } from './types';

/** The moons' circle centres: the upper moon is the top of the unit circle at 0, the lower the bottom of the one at (1, 0.5). */
export const MOON_CENTRES = [
  [0, 0],
  [1, 0.5],
] as const;

/**
 * scikit-learn's make_moons with a uniform angle: each point picks a moon with probability ½ and
 * t ~ U[0, π]; the upper moon is (cos t, sin t), the lower (1 − cos t, 0.5 − sin t).
 */
export const twoMoons: ToyGenerator<{ noise: number }> = (config, n, rng) => {
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const lower = rng.uniform() < 0.5;
    const t = Math.PI * rng.uniform();
    const [cx, cy] = MOON_CENTRES[lower ? 1 : 0];
    const sign = lower ? -1 : 1;
    writePoint(points, i, cx + sign * Math.cos(t), cy + sign * Math.sin(t), config.noise, rng);
  }
  return points;
};
