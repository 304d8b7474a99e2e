import { spiralPoint } from './spiral';
import type { ToyGenerator } from './types';
import { writePoint } from './types';

/** FFJORD's 2spirals: t up to 540° (3π), divided by 3 so the arms span about [−3, 3]². */
export const SPIRALS_SCALE = 1 / 3;
export const SPIRALS_T_MAX = 3 * Math.PI;

/**
 * Arm k of `arms` is the spiral turned by 2πk/arms; t = 3π·√u puts as many points per unit of
 * arc length near the centre as far out (the arc length grows like t²).
 */
export const spirals: ToyGenerator<{ arms: number; noise: number }> = (config, n, rng) => {
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const arm = rng.int(config.arms);
    const t = SPIRALS_T_MAX * Math.sqrt(rng.uniform());
    const [x, y] = spiralPoint(t, (2 * Math.PI * arm) / config.arms, SPIRALS_SCALE);
    writePoint(points, i, x, y, config.noise, rng);
  }
  return points;
};
