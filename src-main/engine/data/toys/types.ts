import type { Rng } from '../../random';

/** Draws n points (row-major n × 2) from a toy's distribution, every random number from `rng`. */
export type ToyGenerator<C> = (config: C, n: number, rng: Rng) => Float32Array;

/** Adds isotropic N(0, noise²) to the point written at row i. */
export function writePoint(points: Float32Array, i: number, x: number, y: number, noise: number, rng: Rng): void {
  points[2 * i] = noise > 0 ? x + noise * rng.normal() : x;
  points[2 * i + 1] = noise > 0 ? y + noise * rng.normal() : y;
}
