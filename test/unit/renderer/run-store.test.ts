import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunProgress, RunSummary } from '../../../src-shared/api';
import {
  EMPTY_RUN_STORE,
  newerRun,
  progressOf,
  withProgress,
  withRun,
  withRunList,
  withoutRun,
  type RunStore,
} from '../../../src-renderer/src/lib/run-store';
import { runRecord } from './fixtures';

/** Applies records in arrival order, each learned one tick after the last. */
function arrive(store: RunStore, ...runs: RunSummary[]): RunStore {
  return runs.reduce((s, run, i) => withRun(s, run, 100 + i), store);
}

const statusOf = (store: RunStore, id: number) => store.runs.find((r) => r.id === id)?.status;

const progress = (runId: number, phase: RunProgress['phase'], done: number, loss: number | null = null): RunProgress => ({
  runId,
  phase,
  done,
  total: 2000,
  loss,
  etaSeconds: null,
});

// startRun's reply is the run as it was queued; on a warm engine the 'running' event overtakes it.
const queued = runRecord(7, { status: 'queued', version: 1, steps: 0, totalSteps: 2000, backend: null });
const running = runRecord(7, { status: 'running', version: 2, steps: 0, totalSteps: 2000, backend: { name: 'wasm', package: 'tfjs-backend-wasm', gpu: false, fallbacks: [] } });
const completed = runRecord(7, { status: 'completed', version: 5, steps: 2000, totalSteps: 2000, finalLoss: 0.4 });

test('a reply older than the latest event does not overwrite it: the started run shows running with its backend', () => {
  const store = arrive(EMPTY_RUN_STORE, queued, running, queued);
  assert.equal(statusOf(store, 7), 'running');
  assert.equal(store.runs[0].backend?.name, 'wasm');
});

test('records apply in version order whatever order they arrive in', () => {
  for (const order of [
    [queued, running, completed],
    [queued, completed, running],
    [completed, queued, running],
    [running, completed, queued],
  ])
    assert.deepEqual(arrive(EMPTY_RUN_STORE, ...order).runs, [completed], order.map((r) => r.status).join(' → '));
});

test("a finished run stays finished in the list when the start reply arrives after its last event (not 'queued, 0 steps')", () => {
  const store = arrive(EMPTY_RUN_STORE, queued, completed, queued);
  assert.deepEqual([store.runs[0].status, store.runs[0].steps], ['completed', 2000]);
});

test('of two records of a run the higher version is the newer; on a tie the later one (the same state) is kept', () => {
  assert.equal(newerRun(running, queued), running);
  assert.equal(newerRun(queued, running), running);
  const again = { ...running };
  assert.equal(newerRun(running, again), again);
  assert.equal(newerRun(undefined, queued), queued);
  assert.equal(newerRun(queued, undefined), queued);
});

test('a list asked for before an event does not roll the run back to what the list saw', () => {
  const askedAt = 1;
  const store = withRunList(withRun(EMPTY_RUN_STORE, running, 2), [queued], askedAt, 3);
  assert.equal(statusOf(store, 7), 'running');
});

test('a list reload drops the runs it lacks, except those learned after it was asked for', () => {
  let store = withRun(withRun(EMPTY_RUN_STORE, runRecord(1), 1), runRecord(2), 2);
  const askedAt = 2;
  store = withRun(store, runRecord(3), 3); // started while the list was on its way
  store = withRunList(store, [runRecord(1)], askedAt, 4);
  assert.deepEqual(
    store.runs.map((r) => r.id),
    [3, 1],
  );
});

test('a deleted run is not brought back by a late reply or by a list asked for before the deletion; a new run reusing its id is shown', () => {
  const old = runRecord(4, { createdAt: '2025-01-04T00:00:00.000Z' });
  let store = withRun(EMPTY_RUN_STORE, old, 1);
  const askedAt = 1;
  store = withoutRun(store, 4, 2);
  assert.deepEqual(withRun(store, { ...old, version: 2 }, 3).runs, []);
  assert.deepEqual(withRunList(store, [old], askedAt, 3).runs, []);
  const reused = runRecord(4, { createdAt: '2025-02-01T00:00:00.000Z', status: 'queued' });
  assert.deepEqual(withRun(store, reused, 3).runs, [reused]);
});

test('runs are listed newest first, and progress events leave the list (and every row) as it was', () => {
  const store = arrive(EMPTY_RUN_STORE, runRecord(1), runRecord(3), running, runRecord(2));
  assert.deepEqual(
    store.runs.map((r) => r.id),
    [7, 3, 2, 1],
  );
  const after = withProgress(store, progress(7, 'training', 10), 0, 200);
  assert.equal(after.runs, store.runs);
  assert.equal(progressOf(after).get(7)?.done, 10);
});

test('while sampling, the progress keeps where training got to and its last loss', () => {
  let store = arrive(EMPTY_RUN_STORE, running);
  store = withProgress(store, progress(7, 'training', 1990, 0.52), 0, 200);
  store = withProgress(store, progress(7, 'training', 2000, 0.5), 1000, 201);
  store = withProgress(store, progress(7, 'sampling', 30), 2000, 202);
  const live = progressOf(store).get(7)!;
  assert.deepEqual([live.phase, live.done, live.lastTraining], ['sampling', 30, { done: 2000, loss: 0.5 }]);
});

test('steps/s is the training steps between the first and the latest training event over the time between them', () => {
  let store = arrive(EMPTY_RUN_STORE, running);
  store = withProgress(store, progress(7, 'training', 10), 5_000, 200);
  assert.equal(progressOf(store).get(7)!.stepsPerSecond, null, 'one event measures no rate');
  store = withProgress(store, progress(7, 'training', 110), 7_000, 201);
  assert.equal(progressOf(store).get(7)!.stepsPerSecond, (110 - 10) / 2);
  store = withProgress(store, progress(7, 'training', 410), 9_000, 202);
  assert.equal(progressOf(store).get(7)!.stepsPerSecond, (410 - 10) / 4);
  store = withProgress(store, progress(7, 'sampling', 5), 60_000, 203);
  assert.equal(progressOf(store).get(7)!.stepsPerSecond, 100, 'sampling leaves the training rate as it was');
});

test('a run that ends has no progress, and a progress event arriving after its final record is dropped', () => {
  let store = arrive(EMPTY_RUN_STORE, running);
  store = withProgress(store, progress(7, 'training', 100), 0, 200);
  store = withRun(store, completed, 201);
  assert.equal(progressOf(store).size, 0);
  store = withProgress(store, progress(7, 'done', 2000), 1, 202);
  assert.equal(progressOf(store).size, 0);
});

test('a resumed run measures its new life: no training steps or rate carried over from before the pause', () => {
  const paused = runRecord(7, { status: 'paused', version: 6, steps: 1503, totalSteps: 2000 });
  const resumed = runRecord(7, { status: 'queued', version: 7, steps: 1503, totalSteps: 3000 });
  let store = arrive(EMPTY_RUN_STORE, running);
  store = withProgress(store, progress(7, 'training', 1000), 0, 200);
  store = withProgress(store, progress(7, 'training', 1500), 1000, 201);
  store = withRun(withRun(store, paused, 202), resumed, 203);
  store = withProgress(store, progress(7, 'training', 1510), 50_000, 204);
  const live = progressOf(store).get(7)!;
  assert.deepEqual([live.lastTraining?.done, live.stepsPerSecond], [1510, null]);
});

test('progress of a run not yet listed is kept, and its record joins it when the list arrives', () => {
  let store = withProgress(EMPTY_RUN_STORE, progress(9, 'training', 5), 0, 1);
  assert.deepEqual([store.runs, progressOf(store).get(9)?.done], [[], 5]);
  const listed = runRecord(9, { status: 'running' });
  store = withRunList(store, [listed], 1, 2);
  assert.deepEqual([store.runs, progressOf(store).get(9)?.done], [[listed], 5]);
});
