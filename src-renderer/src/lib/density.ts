/** A 2-D histogram of points: the training data's density under a gallery's samples. */

export interface Bounds2D {
  x: [number, number];
  y: [number, number];
}

export interface Histogram2D {
  bins: number;
  /** Row-major bins × bins counts; row 0 is the lowest y. */
  counts: Uint32Array;
  max: number;
}

/** Counts of the points' first two coordinates in a bins × bins grid over `bounds`; points outside are left out. */
export function histogram2d(points: readonly number[], dim: number, bounds: Bounds2D, bins: number): Histogram2D {
  const counts = new Uint32Array(bins * bins);
  let max = 0;
  if (dim < 2) return { bins, counts, max };
  const [x0, x1] = bounds.x;
  const [y0, y1] = bounds.y;
  const sx = bins / (x1 - x0);
  const sy = bins / (y1 - y0);
  for (let i = 0; i + 1 < points.length; i += dim) {
    const cx = Math.floor((points[i] - x0) * sx);
    const cy = Math.floor((points[i + 1] - y0) * sy);
    if (cx < 0 || cy < 0 || cx >= bins || cy >= bins) continue;
    const c = ++counts[cy * bins + cx];
    if (c > max) max = c;
  }
  return { bins, counts, max };
}
