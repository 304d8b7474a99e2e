/** What every dataset loader returns: n points of dimension `dim`, row-major. */
export interface Dataset {
  points: Float32Array;
  n: number;
  dim: number;
  /** The generating mixture, when the data was drawn from one (for mode-share metrics). */
  mixture?: Mixture;
}

/** An isotropic Gaussian mixture: component k is N(means[k], stds[k]²·I) with weight weights[k]. */
export interface Mixture {
  means: number[][];
  stds: number[];
  /** Sum to 1. */
  weights: number[];
}
