import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { CurvePoint } from '../../../src-shared/api';
import type { MetricPoint } from '../../../src-main/engine/types';
import { openSqliteStore, type Store } from '../../../src-main/store';
import { BLOCK_STEPS } from '../../../src-main/store/sqlite/metrics';
import { openSqlite3Database } from '../../../src-main/store/sqlite/sqlite3-driver';
import { config, tempDbPath } from './fixtures';

async function storeWithRun(t: TestContext): Promise<{ store: Store; runId: number }> {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  return { store, runId: run.id };
}

/** A noisy decaying loss, deterministic, with distinct values (so min/max picks are unique). */
function lossCurve(n: number, logEvery = 1): MetricPoint[] {
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.1;
  return Array.from({ length: n }, (_, i) => ({
    key: 'loss',
    step: i * logEvery,
    time: i * 0.001,
    value: 1 / (1 + i / 1000) + noise() + i * 1e-12,
  }));
}

async function append(store: Store, runId: number, points: MetricPoint[], batch = 5000): Promise<void> {
  for (let i = 0; i < points.length; i += batch) await store.appendMetrics(runId, points.slice(i, i + batch));
}

const toCurve = (p: MetricPoint): CurvePoint => ({ step: p.step, time: p.time, value: p.value });

/**
 * The reduction the store must give, computed directly from the points: within each bucket
 * [edges[i], edges[i+1]), the first, last, lowest and highest point, deduplicated, in step order.
 */
function m4(points: MetricPoint[], edges: number[]): CurvePoint[] {
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const kept = new Map<number, MetricPoint>();
  let k = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const inBucket: MetricPoint[] = [];
    while (k < sorted.length && sorted[k].step < edges[b + 1]) {
      if (sorted[k].step >= edges[b]) inBucket.push(sorted[k]);
      k++;
    }
    if (inBucket.length === 0) continue;
    let lo = inBucket[0];
    let hi = inBucket[0];
    for (const p of inBucket) {
      if (p.value < lo.value) lo = p;
      if (p.value > hi.value) hi = p;
    }
    for (const p of [inBucket[0], inBucket[inBucket.length - 1], lo, hi]) kept.set(p.step, p);
  }
  return [...kept.values()].sort((a, b) => a.step - b.step).map(toCurve);
}

/** Bucket edges over [from, from + span) in units of `unit` steps, as the store cuts them. */
function edges(from: number, span: number, buckets: number, unit: number): number[] {
  return Array.from({ length: buckets + 1 }, (_, i) => (from + Math.floor((i * span) / buckets)) * unit);
}

/** Edges for a curve whose steps run lo…hi, when it has more points than maxPoints. */
function storeEdges(lo: number, hi: number, maxPoints: number): number[] {
  const buckets = Math.floor(maxPoints / 4);
  const firstBlock = Math.floor(lo / BLOCK_STEPS);
  const blocks = Math.floor(hi / BLOCK_STEPS) - firstBlock + 1;
  return blocks >= buckets ? edges(firstBlock, blocks, buckets, BLOCK_STEPS) : edges(lo, hi - lo + 1, buckets, 1);
}

function assertStepOrder(curve: CurvePoint[]): void {
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i - 1].step < curve[i].step, `steps out of order at ${i}`);
}

test('a 100,000-point curve with one spike comes back within maxPoints, with its ends and the spike, in step order', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const points = lossCurve(100_000);
  points[61_803].value = 50;
  await append(store, runId, points);

  // 2000 points cut on block edges (from summaries); 20,000 inside blocks (from the points).
  for (const maxPoints of [2000, 20_000]) {
    const curve = await store.getCurve(runId, 'loss', maxPoints);
    assert.ok(curve.length <= maxPoints, `${curve.length} points for maxPoints ${maxPoints}`);
    assert.ok(curve.length > maxPoints / 4, `only ${curve.length} points for maxPoints ${maxPoints}`);
    assert.deepEqual(curve[0], toCurve(points[0]));
    assert.deepEqual(curve.at(-1), toCurve(points[99_999]));
    assert.deepEqual(
      curve.find((p) => p.step === 61_803),
      toCurve(points[61_803]),
    );
    assertStepOrder(curve);
    assert.deepEqual(curve, m4(points, storeEdges(0, 99_999, maxPoints)));
  }
});

test('a curve of at most maxPoints points comes back whole; maxPoints below 4 is refused', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const points = lossCurve(500, 10);
  await store.appendMetrics(runId, points);
  assert.deepEqual(await store.getCurve(runId, 'loss', 2000), points.map(toCurve));
  assert.deepEqual(await store.getCurve(runId, 'loss', 500), points.map(toCurve));
  assert.ok((await store.getCurve(runId, 'loss', 499)).length <= 499);
  assert.deepEqual(await store.getCurve(runId, 'loss', 4), m4(points, storeEdges(0, 4990, 4)));
  await assert.rejects(store.getCurve(runId, 'loss', 3), RangeError);
});

test('downsampling keeps dips as well as spikes, and works for curves not starting at step 0', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const points = lossCurve(30_000, 10).map((p) => ({ ...p, step: p.step + 777 }));
  points[123].value = -5;
  points[29_000].value = 9;
  await append(store, runId, points);
  for (const maxPoints of [100, 1000, 10_000]) {
    const curve = await store.getCurve(runId, 'loss', maxPoints);
    assert.ok(curve.length <= maxPoints);
    assert.ok(curve.some((p) => p.value === -5) && curve.some((p) => p.value === 9));
    assert.deepEqual(curve, m4(points, storeEdges(777, points.at(-1)!.step, maxPoints)));
  }
});

test('replaced and out-of-order points are downsampled as if they had been written once, in order', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const points = lossCurve(50_000);
  points[40_000].value = 100;
  // Newest batch first, then a re-send of part of the curve with the spike gone.
  const batches: MetricPoint[][] = [];
  for (let i = 0; i < points.length; i += 3000) batches.push(points.slice(i, i + 3000));
  for (const batch of batches.reverse()) await store.appendMetrics(runId, batch);
  const resent = points.slice(39_990, 40_010).map((p) => ({ ...p, value: p.value / 2 }));
  await store.appendMetrics(runId, resent);
  const final = points.map((p) => resent.find((r) => r.step === p.step) ?? p);

  for (const maxPoints of [400, 2000, 40_000]) {
    const curve = await store.getCurve(runId, 'loss', maxPoints);
    assert.ok(!curve.some((p) => p.value === 100), 'the replaced spike must be gone');
    assert.deepEqual(curve, m4(final, storeEdges(0, 49_999, maxPoints)));
  }
});

test('curves of different keys and runs do not mix', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const other = await store.createRun((await store.getRun(runId))!.experimentId);
  const loss = lossCurve(20_000);
  const level = loss.map((p) => ({ ...p, key: 'loss/level/3', value: -p.value }));
  await append(store, runId, [...loss, ...level]);
  await append(store, other.id, loss.map((p) => ({ ...p, value: p.value + 1000 })));
  assert.deepEqual(await store.getCurve(runId, 'loss', 1000), m4(loss, storeEdges(0, 19_999, 1000)));
  assert.deepEqual(await store.getCurve(runId, 'loss/level/3', 1000), m4(level, storeEdges(0, 19_999, 1000)));
  assert.deepEqual(await store.listMetricKeys(runId), ['loss', 'loss/level/3']);
});

/**
 * Bucket edges for a range whose first and last points are lo and hi: the end blocks that also
 * hold points outside the range (headCut, tailCut) are one bucket each; whole blocks between them
 * are cut on block edges, unless there are too few of them, when the range is cut step by step.
 */
function rangeEdges(lo: number, hi: number, maxPoints: number, headCut: boolean, tailCut: boolean): number[] {
  const buckets = Math.floor(maxPoints / 4);
  const firstWhole = Math.floor(lo / BLOCK_STEPS) + (headCut ? 1 : 0);
  const endWhole = Math.floor(hi / BLOCK_STEPS) + (tailCut ? 0 : 1);
  const wholeBuckets = buckets - Number(headCut) - Number(tailCut);
  if (wholeBuckets < 1 || endWhole - firstWhole < wholeBuckets) return edges(lo, hi - lo + 1, buckets, 1);
  return [
    ...(headCut ? [lo] : []),
    ...edges(firstWhole, endWhole - firstWhole, wholeBuckets, BLOCK_STEPS),
    ...(tailCut ? [hi + 1] : []),
  ];
}

const within = (points: MetricPoint[], from: number, to: number) => points.filter((p) => p.step >= from && p.step <= to);

test('a zoomed range is downsampled from its own points only: its ends, its spike, nothing outside it', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const points = lossCurve(100_000);
  points[61_803].value = 50;
  points[5_000].value = 70; // outside the range: must not show
  await append(store, runId, points);

  const range = { fromStep: 10_050, toStep: 90_077 };
  const inRange = within(points, range.fromStep, range.toStep);
  for (const maxPoints of [400, 2000, 20_000]) {
    const curve = await store.getCurve(runId, 'loss', maxPoints, range);
    assert.ok(curve.length <= maxPoints, `${curve.length} points for maxPoints ${maxPoints}`);
    assert.deepEqual(curve[0], toCurve(points[10_050]));
    assert.deepEqual(curve.at(-1), toCurve(points[90_077]));
    assert.ok(curve.some((p) => p.value === 50) && !curve.some((p) => p.value === 70));
    assertStepOrder(curve);
    assert.deepEqual(curve, m4(inRange, rangeEdges(10_050, 90_077, maxPoints, true, true)));
  }
  // Cut on block edges: the summaries stand for every block.
  const aligned = { fromStep: 10 * BLOCK_STEPS, toStep: 700 * BLOCK_STEPS - 1 };
  assert.deepEqual(
    await store.getCurve(runId, 'loss', 1000, aligned),
    m4(within(points, aligned.fromStep, aligned.toStep), rangeEdges(aligned.fromStep, aligned.toStep, 1000, false, false)),
  );
});

test('a zoomed range with at most maxPoints points comes back at full resolution; open ends and empty ranges work', async (t) => {
  const { store, runId } = await storeWithRun(t);
  const points = lossCurve(30_000, 10);
  await append(store, runId, points);

  assert.deepEqual(await store.getCurve(runId, 'loss', 2000, { fromStep: 100_000, toStep: 110_000 }), within(points, 100_000, 110_000).map(toCurve));
  const tail = await store.getCurve(runId, 'loss', 1000, { fromStep: 250_005 });
  assert.deepEqual(tail, m4(within(points, 250_005, Infinity), rangeEdges(250_010, 299_990, 1000, true, false)));
  const head = await store.getCurve(runId, 'loss', 1000, { toStep: 40_000 });
  assert.deepEqual(head, m4(within(points, 0, 40_000), rangeEdges(0, 40_000, 1000, false, true)));
  assert.deepEqual(await store.getCurve(runId, 'loss', 1000, { fromStep: 400_000 }), []);
  assert.deepEqual(await store.getCurve(runId, 'loss', 1000, { fromStep: 5, toStep: 4 }), []);
  assert.deepEqual(await store.getCurve(runId, 'loss', Infinity, { fromStep: 20, toStep: 49 }), within(points, 20, 49).map(toCurve));
  assert.equal((await store.getCurve(runId, 'loss', Infinity)).length, 30_000);
});

/**
 * What each block summary must hold, computed from the points themselves: first and last step,
 * and the lowest and highest value with their steps (ties to the earliest step); NULL values (NaN)
 * do not count.
 */
function expectedBlocks(points: Map<string, MetricPoint>): Map<string, (number | null)[]> {
  const blocks = new Map<string, (number | null)[]>();
  const sorted = [...points.values()].sort((a, b) => a.step - b.step);
  for (const p of sorted) {
    const id = `${p.key}/${Math.floor(p.step / BLOCK_STEPS)}`;
    const b = blocks.get(id) ?? [p.step, p.step, null, null, null, null];
    b[1] = p.step;
    if (!Number.isNaN(p.value)) {
      if (b[3] === null || p.value < b[3]) [b[2], b[3]] = [p.step, p.value];
      if (b[5] === null || p.value > b[5]) [b[4], b[5]] = [p.step, p.value];
    }
    blocks.set(id, b);
  }
  return blocks;
}

test('block summaries stay exact through appends in order, replaced points, points out of order and NaN', async (t) => {
  const file = tempDbPath(t);
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  const runId = (await store.createRun((await store.createExperiment('e', config())).id)).id;
  const reader = await openSqlite3Database(file);
  t.after(() => reader.close());
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const logged = new Map<string, MetricPoint>();
  let next = 0;
  for (let batch = 0; batch < 60; batch++) {
    const points: MetricPoint[] = [];
    const size = 1 + Math.floor(random() * 400);
    for (let i = 0; i < size; i++) {
      const key = random() < 0.5 ? 'loss' : 'loss/level/0';
      const roll = random();
      // Mostly the next step, as training logs; sometimes an earlier step again (a resend, a
      // resumed run), a step ahead (out of order), or a NaN.
      const step = roll < 0.8 ? next++ : roll < 0.9 ? Math.floor(random() * next) : next + Math.floor(random() * 300);
      points.push({ key, step, time: step / 100, value: random() < 0.03 ? NaN : random() * 10 - 5 });
    }
    await store.appendMetrics(runId, points);
    for (const p of points) logged.set(`${p.key}/${p.step}`, p);
    const rows = await reader.all<{ key: string; block: number; first_step: number; last_step: number; min_step: number | null; min_value: number | null; max_step: number | null; max_value: number | null }>(
      'SELECT * FROM metric_blocks WHERE run_id = ? ORDER BY key, block',
      [runId],
    );
    const expected = expectedBlocks(logged);
    assert.equal(rows.length, expected.size, `batch ${batch}: block count`);
    for (const r of rows) {
      const want = expected.get(`${r.key}/${r.block}`)!;
      // A block of NaN alone has no lowest or highest point to draw.
      const got = [r.first_step, r.last_step, r.min_value === null ? null : r.min_step, r.min_value, r.max_value === null ? null : r.max_step, r.max_value];
      assert.deepEqual(got, want, `batch ${batch}: block ${r.key}/${r.block}`);
    }
  }
});
