import { spiralPoint } from './spiral';
import type { ToyGenerator } from './types';
import { writePoint } from './types';

/** FFJORD's 2-D swiss roll divides scikit-learn's by 5 so that it spans about [−3, 3]². */
export const SWISS_ROLL_SCALE = 1 / 5;
/** scikit-learn's make_swiss_roll: t = 1.5π(1 + 2u), u ~ U[0, 1). */
export const SWISS_ROLL_T = [1.5 * Math.PI, 4.5 * Math.PI] as const;

/** (t·cos t, t·sin t)/5 for t uniform on [1.5π, 4.5π]: one and a half turns. */
export const swissRoll: ToyGenerator<{ noise: number }> = (config, n, rng) => {
  const points = new Float32Array(2 * n);
  const [lo, hi] = SWISS_ROLL_T;
  for (let i = 0; i < n; i++) {
    const [x, y] = spiralPoint(lo + (hi - lo) * rng.uniform(), 0, SWISS_ROLL_SCALE);
    writePoint(points, i, x, y, config.noise, rng);
  }
  return points;
};
