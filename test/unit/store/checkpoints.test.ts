/** The store's side of resuming: one checkpoint per run, readying a run to train on, live runs' owners (owner-lock.ts). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import type { TrainingCheckpoint } from '../../../src-main/engine/types';
import { ABANDONED_RUN_ERROR, openSqliteStore, type Store } from '../../../src-main/store';
import { BLOCK_STEPS } from '../../../src-main/store/sqlite/metrics';
import { assertBlocksMatchPoints } from '../../support/faults';
import { migrationBackupPath } from '../../../src-main/store/sqlite/migrate';
import { config, createOldDatabase, tempDbPath, withRawDb } from './fixtures';

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
  await store.prepareResume(run.id, { config: longer, fromStep: cut });

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
  await assert.rejects(store.prepareResume(999, { config: longer, fromStep: 0 }), /run 999 does not exist/);
});

test("only runs whose owner is gone are marked interrupted: another live owner's runs, and the caller's own, are left to them", async (t) => {
  const file = tempDbPath(t);
  // Three processes' stores on one file: a store holds its owner lock until it closes (or its process dies).
  const gone = await openSqliteStore(file);
  const other = await openSqliteStore(file);
  const me = await openSqliteStore(file);
  t.after(() => me.close());
  const experiment = await me.createExperiment('e', config());
  const dead = await gone.createRun(experiment.id);
  const deadRunning = await gone.createRun(experiment.id);
  await gone.updateRun(deadRunning.id, { status: 'running' });
  const deadDone = await gone.createRun(experiment.id);
  await gone.updateRun(deadDone.id, { status: 'completed' });
  const theirs = await other.createRun(experiment.id);
  await other.updateRun(theirs.id, { status: 'running' });
  const mine = await me.createRun(experiment.id);
  // Rows no live owner can claim: written before owners had ids, or under an id no process holds.
  const ownerless = await me.createRun(experiment.id);
  const unknown = await me.createRun(experiment.id);
  await withRawDb(file, async (db) => {
    await db.run('UPDATE runs SET owner_id = NULL WHERE id = ?', [ownerless.id]);
    await db.run('UPDATE runs SET owner_id = ? WHERE id = ?', [randomUUID(), unknown.id]);
  });

  assert.deepEqual(await me.markAbandonedRuns(), [ownerless.id, unknown.id], 'every owner still holds its lock');
  await gone.close();
  const before = (await me.getRun(deadRunning.id))!;
  assert.deepEqual(await me.markAbandonedRuns(), [dead.id, deadRunning.id]);
  const marked = (await me.getRun(deadRunning.id))!;
  assert.deepEqual([marked.status, marked.error, marked.version], ['interrupted', ABANDONED_RUN_ERROR, before.version + 1]);
  assert.equal((await me.getRun(deadDone.id))?.status, 'completed');
  assert.equal((await me.getRun(theirs.id))?.status, 'running');
  assert.equal((await me.getRun(mine.id))?.status, 'queued');
  assert.deepEqual(readdirSync(`${file}.owners`).length, 2, "the gone owner's lock file is removed, the live ones' kept");

  await other.close();
  assert.deepEqual(await me.markAbandonedRuns(), [theirs.id]);
  assert.deepEqual(await me.markAbandonedRuns(), []);
  assert.equal((await me.getRun(mine.id))?.status, 'queued', "the caller's own run is never abandoned");
});

test('a run resumed by another process is its to finish: an earlier owner gone does not interrupt it', async (t) => {
  const file = tempDbPath(t);
  const first = await openSqliteStore(file);
  const second = await openSqliteStore(file);
  const third = await openSqliteStore(file);
  t.after(async () => {
    await second.close();
    await third.close();
  });
  const run = await first.createRun((await first.createExperiment('e', config())).id);
  await first.updateRun(run.id, { status: 'paused' });
  await second.prepareResume(run.id, { config: run.config, fromStep: 0 });
  await first.close();
  assert.deepEqual(await third.markAbandonedRuns(), []);
  assert.equal((await third.getRun(run.id))?.status, 'queued');
});

test('a version 4 database migrates forward (backed up first): its runs start at version 1, and a run it left running under a pid alone reads as abandoned', async (t) => {
  const file = tempDbPath(t);
  await createOldDatabase(file, 4);
  // Version 4 knew its owners by pid; this one's is alive (it is this test's), which proved nothing.
  await withRawDb(file, (db) =>
    db.run(
      `INSERT INTO runs (id, experiment_id, name, status, created_at, config_json, seed, total_steps, owner_pid)
       VALUES (2, 1, 'old #2', 'running', '2024-01-01T00:00:00.000Z', ?, 0, 2000, ?)`,
      [JSON.stringify(config()), process.pid],
    ),
  );
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  assert.ok(existsSync(migrationBackupPath(file, 4)), 'the version 4 file is kept beside it');
  assert.deepEqual([(await store.getRun(1))?.status, (await store.getRun(1))?.version], ['completed', 1]);
  assert.deepEqual(await store.markAbandonedRuns(), [2]);
  assert.deepEqual([(await store.getRun(2))?.status, (await store.getRun(2))?.version], ['interrupted', 2]);
});
