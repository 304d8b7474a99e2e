/**
 * Pacing of a long computation: metric points are batched and progress is thinned, so a fast
 * training loop does not flood the message channel (or the database behind it), and the loop
 * yields to the event loop now and then so a cancel message gets through.
 */
import type { RunPhase, SamplingStats } from '../../src-shared/api';
import type { MetricPoint } from './types';

/**
 * Points per metrics message at most. The host stores a message in one transaction, and SQLite's
 * cost is mostly per transaction, so large batches log fastest; `maxAgeMs` keeps charts live when
 * points come slowly.
 */
export const METRIC_BATCH_POINTS = 4096;

/** Buffers metric points; hands them on every `maxAgeMs` or once `maxPoints` have gathered. */
export class MetricBuffer {
  private points: MetricPoint[] = [];
  private lastFlush = performance.now();

  constructor(
    private readonly send: (points: MetricPoint[]) => void,
    private readonly maxAgeMs = 250,
    private readonly maxPoints = METRIC_BATCH_POINTS,
  ) {}

  push(point: MetricPoint): void {
    this.points.push(point);
    if (this.points.length >= this.maxPoints || performance.now() - this.lastFlush >= this.maxAgeMs) this.flush();
  }

  flush(): void {
    this.lastFlush = performance.now();
    if (this.points.length === 0) return;
    const points = this.points;
    this.points = [];
    this.send(points);
  }
}

export interface Progress {
  phase: RunPhase;
  done: number;
  total: number;
  loss: number | null;
  /** While sampling: the sampler's running statistics. */
  stats?: SamplingStats;
}

/** Passes on at most one progress report per `intervalMs` (~5 per second), plus every forced one. */
export class ProgressThrottle {
  private last = -Infinity;

  constructor(
    private readonly send: (progress: Progress) => void,
    private readonly intervalMs = 200,
  ) {}

  report(progress: Progress, force = false): void {
    const now = performance.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    this.send(progress);
  }
}

/** Lets queued messages (a cancel) through at most every `intervalMs` of busy computing. */
export class EventLoopYielder {
  private last = performance.now();

  constructor(private readonly intervalMs = 50) {}

  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.intervalMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
