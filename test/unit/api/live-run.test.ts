/**
 * What a live run tells the world as it goes: queued (with its backend as soon as the engine has
 * chosen one) until the engine begins it, then running from the moment training began, each
 * change a new version. The engine is a stand-in that starts warm and replays messages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventHub } from '../../../src-main/api/event-hub';
import { RunManager } from '../../../src-main/api/run-manager';
import type { RunSummary } from '../../../src-shared/api';
import { requireExperimentConfig } from '../../../src-shared/config';
import { openSqliteStore } from '../../../src-main/store';
import { STAND_IN_BACKEND, standInEngine } from './stand-in-engine';

test('a run on a warm engine is queued with its backend until the engine begins it, then running from then; every update has a higher version', async (t) => {
  const store = await openSqliteStore(':memory:');
  t.after(() => store.close());
  const { engine, send } = standInEngine();
  const events = new EventHub();
  const updates: RunSummary[] = [];
  const waiters: { until: (run: RunSummary) => boolean; resolve: (run: RunSummary) => void }[] = [];
  events.subscribe((event) => {
    if (event.name !== 'runUpdated') return;
    updates.push(event.payload);
    for (const w of waiters.filter((w) => w.until(event.payload))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event.payload);
    }
  });
  const update = (until: (run: RunSummary) => boolean) =>
    updates.find(until) ?? new Promise<RunSummary>((resolve) => waiters.push({ until, resolve }));

  const runs = new RunManager(store, engine, events);
  const experiment = await store.createExperiment('e', requireExperimentConfig({ train: { steps: 20 } }));
  const reply = await runs.start(experiment.id, process.cwd());
  assert.deepEqual([reply.status, reply.backend, reply.startedAt, reply.version], ['queued', null, null, 1]);

  const chosen = await update((r) => r.backend !== null);
  assert.deepEqual([chosen.status, chosen.backend, chosen.startedAt], ['queued', STAND_IN_BACKEND, null], 'queued, not running, while the job waits');
  assert.ok(chosen.version > reply.version);

  const jobId = reply.id;
  send({ type: 'prepared', jobId, schedule: [], trainingData: { n: 0, dim: 2, points: new Float32Array() } });
  const began = await update((r) => r.status === 'running');
  assert.ok(began.startedAt !== null && began.startedAt >= reply.createdAt, 'started when the engine began it');
  assert.deepEqual(began.backend, STAND_IN_BACKEND);
  assert.ok(began.version > chosen.version);

  send({ type: 'metrics', jobId, points: [{ key: 'loss', step: 20, time: 1, value: 0.5 }] });
  send({ type: 'finished', jobId, status: 'completed', steps: 20, trainSeconds: 1, sampleSeconds: 0, finalLoss: 0.5 });
  await runs.whenSettled(reply.id);

  const stored = (await store.getRun(reply.id))!;
  assert.deepEqual(updates.at(-1), stored, 'the last update is the run as stored');
  assert.deepEqual([stored.status, stored.steps, stored.startedAt], ['completed', 20, began.startedAt]);
  const versions = updates.map((r) => r.version);
  assert.deepEqual(
    versions,
    [...versions].sort((a, b) => a - b),
    'versions rise in the order updates are sent',
  );
  assert.equal(new Set(versions).size, versions.length, 'no two updates share a version');
});

test('a run cancelled while it waits in the engine queue ends cancelled without ever having started', async (t) => {
  const store = await openSqliteStore(':memory:');
  t.after(() => store.close());
  const { engine } = standInEngine((jobId, send) =>
    // The engine's answer for a job it had not begun: it ends where it stood.
    setImmediate(() => send({ type: 'finished', jobId, status: 'cancelled', steps: 0, trainSeconds: 0, sampleSeconds: 0, finalLoss: null })),
  );
  const runs = new RunManager(store, engine, new EventHub());
  const experiment = await store.createExperiment('e', requireExperimentConfig({ train: { steps: 20 } }));
  const run = await runs.start(experiment.id, process.cwd());
  await runs.cancel(run.id);
  await runs.whenSettled(run.id);
  const done = (await store.getRun(run.id))!;
  assert.deepEqual([done.status, done.startedAt, runs.isLive(run.id)], ['cancelled', null, false]);
});
