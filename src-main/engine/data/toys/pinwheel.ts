import type { ToyGenerator } from './types';

/** FFJORD's pinwheel puts the blobs' centres at radius 2. */
export const PINWHEEL_RADIUS = 2;

/**
 * FFJORD's pinwheel (from Johnson et al. 2016): f = (1 + radialStd·z₁, tangentialStd·z₂) is bent by
 * the angle 2πk/arms + rate·exp(f₁) and scaled by 2, so arm k is a blob that curls more the further
 * out it lies.
 */
export const pinwheel: ToyGenerator<{ arms: number; radialStd: number; tangentialStd: number; rate: number }> = (config, n, rng) => {
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const arm = rng.int(config.arms);
    const f1 = 1 + config.radialStd * rng.normal();
    const f2 = config.tangentialStd * rng.normal();
    const angle = (2 * Math.PI * arm) / config.arms + config.rate * Math.exp(f1);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    points[2 * i] = PINWHEEL_RADIUS * (c * f1 - s * f2);
    points[2 * i + 1] = PINWHEEL_RADIUS * (s * f1 + c * f2);
  }
  return points;
};
