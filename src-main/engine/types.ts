/**
 * The engine's vocabulary: the things it computes and hands to its host, which the store then keeps
 * (tensors by name, random streams' positions, training checkpoints, metric points). They are the
 * engine's words, defined here; the store and the hosts import them as types.
 */

/** One variable's floats, row-major, with its name and shape (a weight, an optimizer moment, a buffer). */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A random stream's position: xoshiro128**'s four state words, and the normal Box–Muller holds back. */
export interface RngState {
  words: number[];
  spare: number | null;
}

/**
 * Everything a training run needs to go on exactly where it was: the network's weights, the
 * optimizer's state (Adam's moments and step count), and the position of each random stream
 * training draws from.
 */
export interface TrainingCheckpoint {
  /** Training steps done. */
  step: number;
  /** Seconds spent training up to `step`: a resumed run's metric times continue from here. */
  trainSeconds: number;
  /** The last logged loss, or null before the first. */
  loss: number | null;
  weights: NamedTensor[];
  optimizer: NamedTensor[];
  /** By stream name ('batches', 'objective'). */
  rng: Record<string, RngState>;
}

/** One logged scalar: `key` is 'loss' or 'loss/level/<i>'. */
export interface MetricPoint {
  key: string;
  step: number;
  /** Seconds since training started. */
  time: number;
  value: number;
}
