/**
 * The benchmark's store workloads: how fast metric points are logged while a reader polls the
 * curve (as a live chart does), and how long a downsampled read of a 10⁶-point curve takes.
 */
import { requireExperimentConfig } from '../src-shared/config';
import { METRIC_BATCH_POINTS } from '../src-main/engine/pacing';
import type { MetricPoint } from '../src-main/engine/types';
import { openSqliteStore, type Store } from '../src-main/store';

/** The engine hands points on in batches of at most this many (engine/pacing.ts, MetricBuffer). */
export const APPEND_BATCH = METRIC_BATCH_POINTS;
/** Keys a 10-level run logs per step: the loss and the loss at each level. */
const KEYS = ['loss', ...Array.from({ length: 10 }, (_, i) => `loss/level/${i}`)];
/** The charts ask for this many points (renderer, LossCurvesPanel's MAX_POINTS). */
export const CHART_POINTS = 2000;

/** A store with one run to log to. */
export async function openBenchStore(file: string): Promise<{ store: Store; runId: number }> {
  const store = await openSqliteStore(file);
  const experiment = await store.createExperiment('bench', requireExperimentConfig({}));
  const run = await store.createRun(experiment.id);
  return { store, runId: run.id };
}

export interface LoggingResult {
  points: number;
  seconds: number;
  /** getCurve calls the reader completed meanwhile, and the slowest one. */
  reads: number;
  slowestReadMs: number;
}

/**
 * Appends `steps` steps × 11 keys in batches of APPEND_BATCH points through one connection while
 * a second connection to the same file polls getCurve every `pollMs`.
 */
export async function logWithReader(file: string, steps: number, pollMs = 100): Promise<LoggingResult> {
  const { store, runId } = await openBenchStore(file);
  const reader = await openSqliteStore(file);
  let reading = true;
  let reads = 0;
  let slowestReadMs = 0;
  const poll = (async () => {
    while (reading) {
      const t0 = performance.now();
      await reader.getCurve(runId, 'loss', CHART_POINTS);
      slowestReadMs = Math.max(slowestReadMs, performance.now() - t0);
      reads++;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();
  try {
    const start = performance.now();
    let batch: MetricPoint[] = [];
    for (let step = 1; step <= steps; step++) {
      for (const key of KEYS) batch.push({ key, step, time: step * 1e-3, value: 1 / step + Math.random() * 1e-3 });
      if (batch.length >= APPEND_BATCH || step === steps) {
        await store.appendMetrics(runId, batch);
        batch = [];
      }
    }
    const seconds = (performance.now() - start) / 1000;
    return { points: steps * KEYS.length, seconds, reads, slowestReadMs };
  } finally {
    reading = false;
    await poll;
    await reader.close();
    await store.close();
  }
}

/**
 * Fills a run with one key's `points` points (one per step, with a spike the downsampling must keep)
 * and returns the store and run for curveQueryMs; the fill rate is reported too.
 */
export async function fillLongCurve(file: string, points: number, batchSize = 10_000): Promise<{ store: Store; runId: number; seconds: number }> {
  const { store, runId } = await openBenchStore(file);
  const spikeAt = Math.floor(points * 0.654321);
  const start = performance.now();
  for (let from = 0; from < points; from += batchSize) {
    const batch: MetricPoint[] = [];
    for (let step = from; step < Math.min(points, from + batchSize); step++)
      batch.push({ key: 'loss', step, time: step * 1e-3, value: 1 / (1 + step) + (step === spikeAt ? 50 : 0) });
    await store.appendMetrics(runId, batch);
  }
  return { store, runId, seconds: (performance.now() - start) / 1000 };
}

/** Milliseconds of one downsampled read of the whole curve, and checks the spike survived it. */
export async function curveQueryMs(store: Store, runId: number): Promise<number> {
  const start = performance.now();
  const curve = await store.getCurve(runId, 'loss', CHART_POINTS);
  const ms = performance.now() - start;
  if (curve.length > CHART_POINTS || !curve.some((p) => p.value > 40)) throw new Error('the downsampled curve lost its spike or has too many points');
  return ms;
}
