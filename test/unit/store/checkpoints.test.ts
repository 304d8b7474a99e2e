/** The store's side of resuming: one checkpoint per run, readying a run to train on, live runs' owners. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { TrainingCheckpoint } from '../../../src-main/engine/types';
import { ABANDONED_RUN_ERROR, openSqliteStore, type Store } from '../../../src-main/store';
import { BLOCK_STEPS } from '../../../src-main/store/sqlite/metrics';
import { assertBlocksMatchPoints } from '../../support/faults';
import { config, tempDbPath } from './fixtures';

async function openStore(t: TestContext): Promise<{ store: Store; file: string }> {
  const file = tempDbPath(t);
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  return { store, file };
}

const checkpointAt = (step: number): TrainingCheckpoint => ({
  step,
  trainSeconds: step / 100,
  loss: 1 / step,
  weights: [
    { name: 'mlp/output/kernel', shape: [2, 2], data: new Float32Array([step, 2, 3, 4]) },
    { name: 'mlp/output/bias', shape: [2], data: new Float32Array([0.5, -0.5]) },
  ],
  optimizer: [
    { name: 'iter', shape: [], data: new Float32Array([step]) },
    { name: 'optimizer/mlp/output/kernel/m', shape: [2, 2], data: new Float32Array([0.1, 0.2, 0.3, 0.4]) },
  ],
  rng: { batches: { words: [1, 2, 3, 4294967295], spare: null }, objective: { words: [5, 6, 7, 8], spare: -0.123456789012345 } },
});

test('a run keeps one checkpoint, the latest, and gives it back exactly', async (t) => {
  const { store } = await openStore(t);
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  assert.equal(await store.getCheckpoint(run.id), null);
  assert.equal(await store.getCheckpointInfo(run.id), null);
  await store.saveCheckpoint(run.id, checkpointAt(500));
  await store.saveCheckpoint(run.id, checkpointAt(1000));
  assert.deepEqual(await store.getCheckpoint(run.id), checkpointAt(1000));
  assert.deepEqual(await store.getCheckpointInfo(run.id), { step: 1000, trainSeconds: 10, loss: 0.001 });
  await store.deleteRun(run.id);
  assert.equal(await store.getCheckpoint(run.id), null, 'it goes with its run');
});

test('readying a run to resume drops the points after the checkpoint, keeps block summaries exact, and clears the outcome', async (t) => {
  const { store, file } = await openStore(t);
  const run = await store.createRun((await store.createExperiment('e', config({ train: { steps: 1000 } }))).id);
  const points = [];
  for (let step = 1; step <= 700; step++) {
    points.push({ key: 'loss', step, time: step, value: Math.sin(step) });
    if (step > 300) points.push({ key: 'late', step, time: step, value: step });
  }
  await store.appendMetrics(run.id, points);
  await store.updateRun(run.id, { status: 'failed', error: 'step 700: diverged', finishedAt: '2025-01-01T00:00:00.000Z', steps: 700 });

  const cut = 2 * BLOCK_STEPS + 5; // inside a block: its summary must be recomputed, not just kept or dropped
  const longer = config({ train: { steps: 2000, lr: 1e-4 } });
  await store.prepareResume(run.id, { config: longer, fromStep: cut, ownerPid: 4242 });

  const loss = await store.getCurve(run.id, 'loss', Infinity);
  assert.deepEqual(
    loss.map((p) => p.step),
    points.filter((p) => p.key === 'loss' && p.step <= cut).map((p) => p.step),
  );
  assert.deepEqual(await store.getCurve(run.id, 'late', Infinity), [], 'a curve begun after the checkpoint is gone');
  await assertBlocksMatchPoints(file, run.id, BLOCK_STEPS);
  // Downsampled, it reads as a run that only ever logged the points kept.
  const fresh = await store.createRun(run.experimentId);
  await store.appendMetrics(fresh.id, points.filter((p) => p.step <= cut));
  // (8 points: 2 buckets over 3 blocks, which the block summaries serve.)
  for (const maxPoints of [8, 20])
    assert.deepEqual(await store.getCurve(run.id, 'loss', maxPoints), await store.getCurve(fresh.id, 'loss', maxPoints));

  const ready = (await store.getRun(run.id))!;
  assert.deepEqual(
    [ready.status, ready.error, ready.finishedAt, ready.steps, ready.totalSteps, ready.config.train.lr],
    ['queued', null, null, cut, 2000, 1e-4],
  );
  await assert.rejects(store.prepareResume(999, { config: longer, fromStep: 0, ownerPid: 1 }), /run 999 does not exist/);
});

test("at start, only runs whose owning process is gone are marked interrupted: another live host's runs stay running", async (t) => {
  const { store } = await openStore(t);
  const experiment = await store.createExperiment('e', config());
  const mine = await store.createRun(experiment.id, 100);
  const theirs = await store.createRun(experiment.id, 200);
  const ownerless = await store.createRun(experiment.id);
  await store.updateRun(theirs.id, { status: 'running' });
  const done = await store.createRun(experiment.id, 100);
  await store.updateRun(done.id, { status: 'completed' });

  const alive = new Set([200]);
  assert.deepEqual(await store.markAbandonedRuns((pid) => alive.has(pid)), [mine.id, ownerless.id]);
  assert.equal((await store.getRun(mine.id))?.status, 'interrupted');
  assert.equal((await store.getRun(mine.id))?.error, ABANDONED_RUN_ERROR);
  assert.equal((await store.getRun(theirs.id))?.status, 'running');
  assert.equal((await store.getRun(done.id))?.status, 'completed');
  alive.clear();
  assert.deepEqual(await store.markAbandonedRuns((pid) => alive.has(pid)), [theirs.id]);
});
