/**
 * Sample sets carry the trajectory frame they are a snapshot of (schema version 4), and weight
 * snapshots are kept per step for the checkpoint slider: an older database migrates forward with
 * its sets intact, frames round-trip, and a resume drops what the replaced attempt wrote after its checkpoint.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { SampleSet, TrajectoryFrame } from '../../../src-shared/api';
import { openSqliteStore, SCHEMA_VERSION, type Store } from '../../../src-main/store';
import { config, createOldDatabase, tempDbPath, withRawDb } from './fixtures';

async function open(t: TestContext, file: string): Promise<Store> {
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  return store;
}

const FINAL_METRICS = { n: 2, modeShareError: 0.25 };

test('a version 3 database migrates forward: its sample sets read back without a frame, and new sets keep theirs', async (t) => {
  const file = tempDbPath(t);
  // The schema as version 3 left it, with one run and its final samples, written as version 3 wrote them.
  await createOldDatabase(file, 3);
  await withRawDb(file, async (db) => {
    await db.run(
      `INSERT INTO sample_sets (run_id, label, n, dim, points, metrics_json, created_at)
       VALUES (1, 'final', 2, 2, ?, ?, '2024-01-01T00:00:00.000Z')`,
      [Buffer.from(new Float32Array([1, 2, 3, 4]).buffer), JSON.stringify(FINAL_METRICS)],
    );
  });
  const store = await open(t, file);
  const version = await withRawDb(file, (db) => db.get<{ user_version: number }>('PRAGMA user_version'));
  assert.equal(version?.user_version, SCHEMA_VERSION);
  assert.ok(SCHEMA_VERSION >= 4);

  const old = await store.getSampleSet(1, 'final');
  assert.deepEqual(old, { runId: 1, label: 'final', n: 2, dim: 2, points: [1, 2, 3, 4], metrics: FINAL_METRICS });
  assert.equal('frame' in old!, false, 'a set from before frames existed has no frame key');

  const frame: TrajectoryFrame = { index: 3, step: 150, total: 500, level: 2, sigma: 2.5 };
  const set: SampleSet = { runId: 1, label: 'trajectory/3', frame, n: 1, dim: 2, points: [0.5, -0.25], metrics: { n: 1 } };
  await store.saveSampleSet(set);
  assert.deepEqual(await store.getSampleSet(1, 'trajectory/3'), set);
  assert.deepEqual((await store.listSampleSets(1)).map((s) => s.frame ?? null), [null, frame]);
});

test('listing sample sets gives the newest set per label, without points, frames kept', async (t) => {
  const store = await open(t, tempDbPath(t));
  const experiment = await store.createExperiment('e', config());
  const run = await store.createRun(experiment.id);
  const frame = (index: number): TrajectoryFrame => ({ index, step: index * 10, total: 20, level: index, sigma: 10 / (index + 1) });
  await store.saveSampleSet({ runId: run.id, label: 'trajectory/0', frame: frame(0), n: 1, dim: 2, points: [9, 9], metrics: { n: 1 } });
  await store.saveSampleSet({ runId: run.id, label: 'trajectory/1', frame: frame(1), n: 1, dim: 2, points: [1, 1], metrics: { n: 1 } });
  await store.saveSampleSet({ runId: run.id, label: 'trajectory/0', frame: frame(0), n: 2, dim: 2, points: [0, 0, 0, 0], metrics: { n: 2 } });
  const infos = await store.listSampleSetInfos(run.id);
  assert.deepEqual(
    infos.map(({ label, n, frame: f }) => ({ label, n, index: f?.index })),
    [
      { label: 'trajectory/1', n: 1, index: 1 },
      { label: 'trajectory/0', n: 2, index: 0 },
    ],
  );
  assert.ok(infos.every((s) => !('points' in s) && !Number.isNaN(Date.parse(s.createdAt))));
});

test('weights are kept per step, read by step, and a resume drops the snapshots, frames and checkpoint samples after its checkpoint', async (t) => {
  const store = await open(t, tempDbPath(t));
  const experiment = await store.createExperiment('e', config());
  const run = await store.createRun(experiment.id);
  const tensors = (v: number) => [{ name: 'w', shape: [2], data: new Float32Array([v, v]) }];
  for (const step of [100, 200, 300]) await store.saveWeights(run.id, step, tensors(step));
  assert.deepEqual(await store.listWeightSteps(run.id), [100, 200, 300]);
  assert.deepEqual((await store.getWeights(run.id, 200))?.tensors, tensors(200));
  assert.equal((await store.getWeights(run.id))?.step, 300, 'the latest without a step');
  assert.equal(await store.getWeights(run.id, 150), null);

  const set = (label: string): SampleSet => ({ runId: run.id, label, n: 1, dim: 2, points: [0, 0], metrics: { n: 1 } });
  for (const label of ['checkpoint/100', 'checkpoint/300', 'trajectory/0']) await store.saveSampleSet(set(label));
  await store.prepareResume(run.id, { config: config(), fromStep: 200 });
  assert.deepEqual(await store.listWeightSteps(run.id), [100, 200]);
  assert.deepEqual(
    (await store.listSampleSetInfos(run.id)).map((s) => s.label),
    ['checkpoint/100'],
  );
});
