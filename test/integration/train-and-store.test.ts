/**
 * A tiny run through the real engine process into a temporary database, then the database is
 * reopened and everything the UI shows is read back.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createBackend } from '../../src-main/api/backend';
import type { RunProgress } from '../../src-shared/api';
import { openSqliteStore } from '../../src-main/store';
import { TINY_CONFIG, tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());

test('a run trains in the engine process, is stored, and reads back after reopening the database', async () => {
  const dbPath = join(tmp.dir, 'runs.sqlite');
  const backend = await createBackend({ dbPath });
  const experiment = await backend.call('createExperiment', { name: 'tiny', config: TINY_CONFIG });
  const run = await backend.call('startRun', { experimentId: experiment.id });
  const progress: string[] = [];
  backend.events.subscribe((e) => {
    if (e.name === 'runProgress' && e.payload.runId === run.id) progress.push(e.payload.phase);
  });
  await backend.runs.whenSettled(run.id);
  const done = await backend.call('getRun', { runId: run.id });
  assert.equal(done.status, 'completed', done.error ?? '');
  assert.equal(done.steps, 40);
  assert.ok(done.backend && ['wasm', 'cpu', 'tensorflow'].includes(done.backend.name), 'backend recorded');
  assert.ok(done.trainSeconds !== null && done.trainSeconds > 0);
  assert.ok(progress.includes('training') && progress.includes('sampling'), `phases seen: ${[...new Set(progress)]}`);
  const [curve] = await backend.call('getCurves', { runIds: [run.id] });
  const schedule = await backend.call('getSchedule', { runId: run.id });
  const samples = await backend.call('getSamples', { runId: run.id });
  await backend.close();

  // Logged every 5 steps over 40 steps: steps 5, 10, …, 40 (or from 0), all finite.
  assert.ok(curve.points.length >= 8, `curve has ${curve.points.length} points`);
  assert.equal(curve.points.at(-1)!.step, 40);
  assert.ok(curve.points.every((p) => Number.isFinite(p.value)));
  assert.equal(schedule.length, 10);
  assert.ok(samples && samples.n === 100 && samples.dim === 2 && samples.points.length === 200);
  assert.ok(samples.metrics.modeShares?.length === 3);

  const store = await openSqliteStore(dbPath);
  try {
    const reopened = await store.getRun(run.id);
    assert.equal(reopened?.status, 'completed');
    assert.deepEqual(await store.getCurve(run.id, 'loss', 2000), curve.points);
    assert.deepEqual(await store.getSchedule(run.id), schedule);
    assert.deepEqual(await store.getSampleSet(run.id, 'final'), samples);
    const weights = await store.getWeights(run.id);
    assert.ok(weights && weights.tensors.length > 0 && weights.step === 40);
  } finally {
    await store.close();
  }
});

test('sampling progress carries the sampler’s statistics from the engine process to the run’s live progress', async () => {
  const backend = await createBackend({ dbPath: join(tmp.dir, 'stats.sqlite') });
  // The analytic mixture has a density, so MALA runs without training. Each step evaluates the
  // log-density and the score at the proposal, after both at the start: NFE = 2 + 2·steps.
  const [steps, eps] = [30, 0.05];
  const config = { ...TINY_CONFIG, model: { kind: 'analytic' as const }, sampler: { kind: 'mala' as const, n: 50, steps, eps } };
  const experiment = await backend.call('createExperiment', { name: 'stats', config });
  const run = await backend.call('startRun', { experimentId: experiment.id });
  const sampling: RunProgress[] = [];
  backend.events.subscribe((e) => {
    if (e.name === 'runProgress' && e.payload.runId === run.id && e.payload.phase === 'sampling') sampling.push(e.payload);
  });
  await backend.runs.whenSettled(run.id);
  const schedule = await backend.call('getSchedule', { runId: run.id });
  await backend.close();
  const last = sampling.at(-1);
  assert.equal(last?.done, steps, 'the last sampling progress is the last step');
  assert.equal(last.stats?.nfe, 2 + 2 * steps);
  assert.equal(last.stats?.stepSize, eps);
  const rate = last.stats?.acceptanceRate;
  assert.ok(rate !== undefined && rate > 0 && rate < 1, `acceptance rate ${rate}`);
  // The schedule table stores MALA's own step at every level.
  assert.ok(schedule.length > 0 && schedule.every((l) => l.alpha === eps));
});

test('a bad config is refused with the field named, and nothing is written', async () => {
  const dbPath = join(tmp.dir, 'bad.sqlite');
  const backend = await createBackend({ dbPath });
  try {
    await assert.rejects(
      backend.call('createExperiment', { name: 'bad', config: { schedule: { kind: 'geometric', sigmaMin: 2, sigmaMax: 1 } } }),
      (err: Error & { issues?: { field: string }[] }) =>
        err.issues?.some((i) => i.field === 'schedule.sigmaMin') === true && /sigmaMin must be < sigmaMax/.test(err.message),
    );
    assert.deepEqual(await backend.call('listRuns', {}), []);
  } finally {
    await backend.close();
  }
});

test('cancelling a run stops it, keeps what it logged, and marks it cancelled', async () => {
  const dbPath = join(tmp.dir, 'cancel.sqlite');
  const backend = await createBackend({ dbPath });
  try {
    const experiment = await backend.call('createExperiment', {
      name: 'long',
      config: { ...TINY_CONFIG, train: { steps: 1_000_000, batchSize: 32, logEvery: 5 } },
    });
    const run = await backend.call('startRun', { experimentId: experiment.id });
    await new Promise<void>((resolve) => {
      const off = backend.events.subscribe((e) => {
        if (e.name === 'runProgress' && e.payload.runId === run.id && e.payload.phase === 'training' && e.payload.done >= 20) {
          off();
          resolve();
        }
      });
    });
    await backend.call('cancelRun', { runId: run.id });
    await backend.runs.whenSettled(run.id);
    const done = await backend.call('getRun', { runId: run.id });
    assert.equal(done.status, 'cancelled');
    assert.ok(done.steps >= 20 && done.steps < 1_000_000);
    const [curve] = await backend.call('getCurves', { runIds: [run.id] });
    assert.ok(curve.points.length >= 4);
  } finally {
    await backend.close();
  }
});
