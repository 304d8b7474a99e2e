/**
 * A sampler's trajectory as frames: the first `chains` chains' states at `frames` steps spread
 * evenly over the sampling, frame 0 the initial state and the last the output. Only those rows are
 * copied, and only at frame steps, so a long run with many chains pays for what it shows.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrajectoryFrame } from '../../../src-shared/api';
import type { SamplerConfig } from '../../../src-shared/config';
import type { SamplerProgress } from '../samplers';

export type TrajectorySpec = NonNullable<SamplerConfig['trajectory']>;

/** One frame, ready to send as a sample set `trajectory/<index>`. */
export interface Frame {
  frame: TrajectoryFrame;
  /** Row-major [chains, D]. */
  points: Float32Array;
}

/**
 * The steps frames are taken at, 0 to `total` evenly, rounded and without repeats: fewer than
 * `frames` when the sampler takes fewer steps than that.
 */
export function frameSteps(frames: number, total: number): number[] {
  const steps = Array.from({ length: frames }, (_, k) => Math.round((k * total) / (frames - 1)));
  return [...new Set(steps)];
}

/**
 * Collects frames from sampleChains' progress (steps of the first chunk, which holds the first
 * chains) and hands each to `send` as soon as it is taken.
 */
export class TrajectoryRecorder {
  private readonly steps: number[];
  private readonly chains: number;
  private next = 1;
  private last: { level: number; sigma: number };

  constructor(
    spec: TrajectorySpec,
    n: number,
    private readonly dim: number,
    /** Steps one chunk of sampleChains takes. */
    private readonly total: number,
    first: { level: number; sigma: number },
    private readonly send: (frame: Frame) => void,
  ) {
    this.chains = Math.min(spec.chains, n);
    this.steps = frameSteps(spec.frames, total);
    this.last = first;
  }

  /** Frame 0: the chains' initial state. */
  start(init: Float32Array): void {
    this.emit(0, init.slice(0, this.chains * this.dim), this.last);
  }

  /** Call from sampleChains' progress; copies the first rows when the step is a frame's. */
  async onStep(p: SamplerProgress & { offset: number }): Promise<void> {
    if (p.offset !== 0) return;
    this.last = { level: p.level, sigma: p.sigma };
    // The last frame is the output itself (finish), after any final constraint.
    if (this.next >= this.steps.length - 1 || p.done !== this.steps[this.next]) return;
    const rows = tf.slice(p.x, [0, 0], [this.chains, this.dim]);
    try {
      this.emit(this.next, (await rows.data()) as Float32Array, this.last);
    } finally {
      rows.dispose();
    }
    this.next++;
  }

  /** The last frame: the output's first rows. */
  finish(output: Float32Array): void {
    this.emit(this.steps.length - 1, output.slice(0, this.chains * this.dim), this.last);
  }

  private emit(index: number, points: Float32Array, at: { level: number; sigma: number }): void {
    this.send({ frame: { index, step: this.steps[index], total: this.total, level: at.level, sigma: at.sigma }, points });
  }
}
