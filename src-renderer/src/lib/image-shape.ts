/** Which sample dimensions are images, and how to lay one out. */

/** Dimensions whose rows are known images (height, width): 784 is MNIST's 28 × 28. */
const KNOWN_SHAPES: Readonly<Record<number, readonly [number, number]>> = { 784: [28, 28] };

/** The image shape of a row of `dim` numbers, or null when the rows are points to scatter. */
export function imageShape(dim: number): readonly [number, number] | null {
  return KNOWN_SHAPES[dim] ?? null;
}

/**
 * The value range mapped to black … white: the training data's own range when it is known (pixels
 * in [0, 1], or [−1, 1], or dequantised), else [0, 1]; samples outside it are clipped.
 */
export function pixelRange(data: { points: ArrayLike<number> } | null): [number, number] {
  if (!data || data.points.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.points.length; i++) {
    const v = data.points[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? [lo, hi] : [0, 1];
}
