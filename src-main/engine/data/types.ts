import type { Rng } from '../random';

/** What every dataset loader returns: n points of dimension `dim`, row-major. */
export interface Dataset {
  points: Float32Array;
  n: number;
  dim: number;
  /** The generating mixture, when the data was drawn from one (for mode-share metrics). */
  mixture?: Mixture;
  /**
   * Draws n fresh points from the distribution the data came from, when it came from a generator
   * (a mixture, a toy): held-out points for the sample-quality metrics. Absent for a file.
   */
  draw?: (n: number, rng: Rng) => Float32Array;
  /** Set when each point is an image, its values row-major height × width × channels (NHWC). */
  image?: ImageShape;
  /**
   * Points of the same source kept out of training, row-major with `dim` values each: the
   * reference set of the image-quality metrics (MNIST's test split).
   */
  heldOut?: Float32Array;
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** An isotropic Gaussian mixture: component k is N(means[k], stds[k]²·I) with weight weights[k]. */
export interface Mixture {
  means: number[][];
  stds: number[];
  /** Sum to 1. */
  weights: number[];
}
