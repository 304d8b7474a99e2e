/**
 * Throughput of the SQLite store's hot paths; not a test (no timing assertions anywhere).
 * Run: node --import tsx test/unit/store/bench-store.ts [points=1000000] [batch=1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExperimentConfig } from '../../../src-main/common/config';
import { openSqliteStore } from '../../../src-main/store';
import type { MetricPoint } from '../../../src-main/store';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 1_000_000);
  const batch = Number(process.argv[3] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'scorebench-bench-'));
  try {
    const store = await openSqliteStore(join(dir, 'bench.sqlite'));
    const experiment = await store.createExperiment('bench', requireExperimentConfig({}));
    const run = await store.createRun(experiment.id);

    // One key, one point per step: the longest curve a run of `total` steps can log.
    let started = performance.now();
    for (let from = 0; from < total; from += batch) {
      const points: MetricPoint[] = [];
      for (let step = from; step < Math.min(total, from + batch); step++)
        points.push({ key: 'loss', step, time: step * 1e-3, value: 1 / (1 + step) + (step === 654_321 ? 50 : 0) });
      await store.appendMetrics(run.id, points);
    }
    let seconds = (performance.now() - started) / 1000;
    console.log(`append: ${total} points in batches of ${batch}: ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} points/s`);

    // Eleven keys per step, as a 10-level run logs them (loss + loss/level/i).
    const run2 = await store.createRun(experiment.id);
    const steps = Math.floor(total / 11);
    started = performance.now();
    const stepsPerBatch = Math.max(1, Math.floor(batch / 11));
    for (let from = 0; from < steps; from += stepsPerBatch) {
      const points: MetricPoint[] = [];
      for (let step = from; step < Math.min(steps, from + stepsPerBatch); step++) {
        points.push({ key: 'loss', step, time: step * 1e-3, value: Math.random() });
        for (let level = 0; level < 10; level++) points.push({ key: `loss/level/${level}`, step, time: step * 1e-3, value: Math.random() });
      }
      await store.appendMetrics(run2.id, points);
    }
    seconds = (performance.now() - started) / 1000;
    console.log(`append: ${steps * 11} points, 11 keys: ${seconds.toFixed(2)} s = ${Math.round((steps * 11) / seconds)} points/s`);

    for (const maxPoints of [2000, 10_000, 100_000]) {
      const times: number[] = [];
      let length = 0;
      for (let i = 0; i < 5; i++) {
        started = performance.now();
        length = (await store.getCurve(run.id, 'loss', maxPoints)).length;
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(`getCurve(${total} points, maxPoints ${maxPoints}): ${length} points, median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)})`);
    }
    started = performance.now();
    const keys = await store.listMetricKeys(run2.id);
    console.log(`listMetricKeys: ${keys.length} keys in ${(performance.now() - started).toFixed(1)} ms`);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
