import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../../src-shared/api';
import type { NamedTensor } from '../../../src-main/engine/types';
import { ABANDONED_RUN_ERROR, openSqliteStore, type Store } from '../../../src-main/store';
import { config, tempDbPath, withRawDb } from './fixtures';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Everything a store holds for one run, read back through the interface. */
async function readAll(store: Store, runId: number, experimentId: number) {
  return {
    experiment: await store.getExperiment(experimentId),
    run: await store.getRun(runId),
    runs: await store.listRuns(),
    keys: await store.listMetricKeys(runId),
    loss: await store.getCurve(runId, 'loss', 2000),
    schedule: await store.getSchedule(runId),
    training: await store.getTrainingData(runId),
    samples: await store.getSampleSet(runId, 'final'),
    weights: await store.getWeights(runId),
  };
}

test('every kind of record round-trips exactly, and survives closing and reopening the file', async (t) => {
  const file = tempDbPath(t);
  const store = await openSqliteStore(file);
  const cfg = config({ seed: 7, train: { steps: 300, logEvery: 5 }, schedule: { kind: 'geometric', levels: 3 } });

  const experiment = await store.createExperiment('mixture', cfg);
  assert.equal(experiment.name, 'mixture');
  assert.match(experiment.createdAt, ISO);
  assert.deepEqual(experiment.config, cfg);
  assert.deepEqual(await store.getExperiment(experiment.id), experiment);

  const run = await store.createRun(experiment.id);
  assert.deepEqual(
    { ...run, createdAt: 'x' },
    {
      id: run.id,
      experimentId: experiment.id,
      name: 'mixture #1',
      status: 'queued',
      createdAt: 'x',
      startedAt: null,
      finishedAt: null,
      backend: null,
      seed: 7,
      steps: 0,
      totalSteps: 300,
      trainSeconds: null,
      sampleSeconds: null,
      finalLoss: null,
      metrics: null,
      error: null,
      dataKind: 'gaussian-mixture',
      objectiveKind: 'dsm',
      scheduleKind: 'geometric',
      samplerKind: 'annealed-langevin',
      config: cfg,
      tags: [],
      notes: '',
      archived: false,
      version: 1,
    },
  );
  assert.match(run.createdAt, ISO);

  const backend = { name: 'tensorflow', package: '@tensorflow/tfjs-node', gpu: false, fallbacks: ['tfjs-node-gpu: no CUDA'] };
  const metrics = { modeShares: [{ share: 0.5, weight: 0.5 }, { share: 0.25, weight: 0.3 }], modeShareError: 0.05, n: 1000 };
  const patch = {
    status: 'completed',
    startedAt: '2025-01-02T03:04:05.006Z',
    finishedAt: '2025-01-02T03:09:05.006Z',
    backend,
    steps: 300,
    trainSeconds: 12.345678901234,
    sampleSeconds: 0.1,
    finalLoss: 0.123456789012345,
    metrics,
    error: null,
  } as const;
  await store.updateRun(run.id, patch);
  const updated = await store.getRun(run.id);
  assert.deepEqual(updated, { ...run, ...patch, version: 2 }, 'one update, one version more');
  assert.ok(updated);

  const points = [
    { key: 'loss', step: 0, time: 0, value: 2.5 },
    { key: 'loss', step: 5, time: 0.125, value: 1.0000001 },
    { key: 'loss/level/10', step: 5, time: 0.125, value: 0.3 },
    { key: 'loss/level/2', step: 5, time: 0.125, value: 0.7 },
    { key: 'loss', step: 10, time: 0.25, value: Math.PI },
  ];
  await store.appendMetrics(run.id, points);
  const schedule = [
    { level: 0, sigma: 10, alpha: 2.5e-4, weight: 100 },
    { level: 1, sigma: 0.7071067811865476, alpha: 1.25e-6, weight: 0.5 },
    { level: 2, sigma: 0.05, alpha: 6.25e-9, weight: 0.0025 },
  ];
  await store.saveSchedule(run.id, schedule);
  // Float32-representable values: blobs hold float32 (see the precision test below).
  const training = { n: 3, dim: 2, points: [0.5, -1.25, 3, 4.75, -1024, 1e-3].map(Math.fround) };
  await store.saveTrainingData(run.id, training);
  const samples = { runId: run.id, label: 'final', n: 2, dim: 2, points: [1.5, 2.5, -3.5, 0.25], metrics };
  await store.saveSampleSet(samples);
  // A view into a larger buffer: only its own bytes may be stored.
  const backing = new Float32Array([99, 99, 1, 2, 3, 4, 5, 6, 0.5, 99]);
  const tensors: NamedTensor[] = [
    { name: 'dense/kernel', shape: [2, 3], data: backing.subarray(2, 8) },
    { name: 'dense/bias', shape: [1], data: backing.subarray(8, 9) },
    { name: 'scalar', shape: [], data: new Float32Array([7]) },
  ];
  await store.saveWeights(run.id, 300, tensors);

  const expected = {
    experiment,
    run: updated,
    runs: [updated],
    keys: ['loss', 'loss/level/2', 'loss/level/10'],
    loss: [
      { step: 0, time: 0, value: 2.5 },
      { step: 5, time: 0.125, value: 1.0000001 },
      { step: 10, time: 0.25, value: Math.PI },
    ],
    schedule,
    training,
    samples,
    weights: {
      step: 300,
      tensors: [
        { name: 'dense/kernel', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
        { name: 'dense/bias', shape: [1], data: new Float32Array([0.5]) },
        { name: 'scalar', shape: [], data: new Float32Array([7]) },
      ],
    },
  };
  assert.deepEqual(await readAll(store, run.id, experiment.id), expected);
  await store.close();

  const reopened = await openSqliteStore(file);
  t.after(() => reopened.close());
  assert.deepEqual(await readAll(reopened, run.id, experiment.id), expected);
});

test('runs are named "<experiment> #<n>" per experiment and listed newest first', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const a = await store.createExperiment('alpha', config());
  const b = await store.createExperiment('beta', config({ train: { steps: 50 } }));
  // Started together: the numbering must still not repeat.
  const [a1, a2] = await Promise.all([store.createRun(a.id), store.createRun(a.id)]);
  const b1 = await store.createRun(b.id);
  const a3 = await store.createRun(a.id);
  assert.deepEqual([a1.name, a2.name, b1.name, a3.name].sort(), ['alpha #1', 'alpha #2', 'alpha #3', 'beta #1']);
  assert.equal(b1.totalSteps, 50);
  const listed = await store.listRuns();
  assert.deepEqual(
    listed.map((r) => r.id),
    [a3.id, b1.id, a2.id, a1.id].sort((x, y) => y - x),
  );
  // Each row carries its config: the runs table searches its values.
  assert.deepEqual(listed.find((r) => r.id === b1.id)?.config, b.config);
});

test('getExperiment and getRun give null for unknown ids; createRun and updateRun reject them as not-found', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  assert.equal(await store.getExperiment(42), null);
  assert.equal(await store.getRun(42), null);
  await assert.rejects(store.createRun(42), (err: unknown) => err instanceof ApiError && err.code === 'not-found');
  await assert.rejects(store.updateRun(42, { status: 'failed' }), (err: unknown) => err instanceof ApiError && err.code === 'not-found');
  await assert.rejects(store.updateRun(42, {}), (err: unknown) => err instanceof ApiError && err.code === 'not-found');
});

test('updateRun changes only the fields given: undefined leaves a field, null clears it', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  await store.updateRun(run.id, { status: 'running', startedAt: '2025-01-01T00:00:00.000Z', error: 'boom', finalLoss: 1.5 });
  await store.updateRun(run.id, { status: undefined, error: null, steps: 20 });
  const after = await store.getRun(run.id);
  assert.equal(after?.status, 'running');
  assert.equal(after?.startedAt, '2025-01-01T00:00:00.000Z');
  assert.equal(after?.error, null);
  assert.equal(after?.finalLoss, 1.5);
  assert.equal(after?.steps, 20);
  // A field the store does not know is a caller bug, not something to drop silently.
  await assert.rejects(store.updateRun(run.id, { colour: 'red' } as never), TypeError);
});

test('markAbandonedRuns marks only running and queued runs as interrupted', async (t) => {
  const file = tempDbPath(t);
  // The runs' owner closes the file without ending them, as a process that dies does.
  const owner = await openSqliteStore(file);
  const experiment = await owner.createExperiment('e', config());
  const statuses = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'running'] as const;
  const ids: number[] = [];
  for (const status of statuses) {
    const run = await owner.createRun(experiment.id);
    await owner.updateRun(run.id, { status, ...(status === 'completed' ? { finishedAt: '2025-01-01T00:00:00.000Z' } : {}) });
    ids.push(run.id);
  }
  await owner.close();
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  const before = await store.listRuns();

  const marked = await store.markAbandonedRuns();
  assert.deepEqual(marked, [ids[0], ids[1], ids[6]]);

  for (const run of await store.listRuns()) {
    const old = before.find((r) => r.id === run.id);
    if (marked.includes(run.id)) {
      assert.equal(run.status, 'interrupted');
      assert.equal(run.error, ABANDONED_RUN_ERROR);
      assert.match(run.finishedAt ?? '', ISO);
      assert.equal(run.version, old!.version + 1);
    } else {
      assert.deepEqual(run, old);
    }
  }
  assert.deepEqual(await store.markAbandonedRuns(), []);
});

test('a key logs one value per step: re-sending a point replaces it', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  await store.appendMetrics(run.id, [
    { key: 'loss', step: 1, time: 1, value: 10 },
    { key: 'loss', step: 2, time: 2, value: 20 },
  ]);
  await store.appendMetrics(run.id, [
    { key: 'loss', step: 2, time: 2.5, value: 25 },
    { key: 'loss', step: 3, time: 3, value: 30 },
  ]);
  await store.appendMetrics(run.id, []);
  assert.deepEqual(await store.getCurve(run.id, 'loss', 100), [
    { step: 1, time: 1, value: 10 },
    { step: 2, time: 2.5, value: 25 },
    { step: 3, time: 3, value: 30 },
  ]);
  assert.deepEqual(await store.getCurve(run.id, 'nothing', 100), []);
  assert.deepEqual(await store.listMetricKeys(run.id + 1), []);
});

test('a NaN loss comes back as NaN, and a batch with a fractional step is refused whole', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  await store.appendMetrics(run.id, [{ key: 'loss', step: 1, time: 1, value: NaN }]);
  assert.deepEqual(await store.getCurve(run.id, 'loss', 10), [{ step: 1, time: 1, value: NaN }]);
  await assert.rejects(
    store.appendMetrics(run.id, [
      { key: 'loss', step: 2, time: 2, value: 1 },
      { key: 'loss', step: 2.5, time: 2, value: 1 },
    ]),
    RangeError,
  );
  assert.equal((await store.getCurve(run.id, 'loss', 10)).length, 1);
});

test('metrics of a run that does not exist are refused (foreign keys are on)', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  await assert.rejects(store.appendMetrics(999, [{ key: 'loss', step: 1, time: 0, value: 1 }]), /FOREIGN KEY/);
});

test('saveSchedule replaces the whole schedule', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  const long = Array.from({ length: 1000 }, (_, i) => ({ level: i, sigma: 10 * 0.99 ** i, alpha: 1e-5 * i, weight: 100 * 0.98 ** i }));
  await store.saveSchedule(run.id, long);
  assert.deepEqual(await store.getSchedule(run.id), long);
  await store.saveSchedule(run.id, long.slice(0, 2));
  assert.deepEqual(await store.getSchedule(run.id), long.slice(0, 2));
});

test('point sets are stored as float32: a float64 value comes back rounded to float32', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  await store.saveTrainingData(run.id, { n: 1, dim: 2, points: [0.1, 1 / 3] });
  assert.deepEqual(await store.getTrainingData(run.id), { n: 1, dim: 2, points: [Math.fround(0.1), Math.fround(1 / 3)] });
  await assert.rejects(store.saveTrainingData(run.id, { n: 2, dim: 2, points: [1, 2, 3] }), RangeError);
  assert.equal(await store.getTrainingData(run.id + 1), null);
});

test("the engine's Float32Array points are stored as they are (a view into a larger buffer included) and read back as numbers", async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  // A view that starts 8 bytes into its buffer: only its own floats may reach the blob.
  const whole = new Float32Array([9, 9, 0.1, -2.5, 1 / 3, 1e-7]);
  const view = whole.subarray(2);
  await store.saveTrainingData(run.id, { n: 2, dim: 2, points: view });
  await store.saveSampleSet({ runId: run.id, label: 'final', n: 1, dim: 4, points: view, metrics: { n: 1 } });
  const floats = [Math.fround(0.1), -2.5, Math.fround(1 / 3), Math.fround(1e-7)];
  assert.deepEqual(await store.getTrainingData(run.id), { n: 2, dim: 2, points: floats });
  assert.deepEqual((await store.getSampleSet(run.id, 'final'))?.points, floats);
  await assert.rejects(store.saveSampleSet({ runId: run.id, label: 'final', n: 2, dim: 4, points: view, metrics: { n: 2 } }), RangeError);
});

test('getSampleSet gives the latest set with that label', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  const set = (label: string, x: number) => ({ runId: run.id, label, n: 1, dim: 1, points: [x], metrics: { n: 1 } });
  await store.saveSampleSet(set('final', 1));
  await store.saveSampleSet(set('level-3', 2));
  await store.saveSampleSet(set('final', 3));
  assert.deepEqual(await store.getSampleSet(run.id, 'final'), set('final', 3));
  assert.deepEqual(await store.getSampleSet(run.id, 'level-3'), set('level-3', 2));
  assert.equal(await store.getSampleSet(run.id, 'other'), null);
});

test('getWeights gives the latest step; a tensor whose data does not fit its shape is refused', async (t) => {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  assert.equal(await store.getWeights(run.id), null);
  const w = (x: number): NamedTensor[] => [{ name: 'w', shape: [2], data: new Float32Array([x, -x]) }];
  await store.saveWeights(run.id, 200, w(2));
  await store.saveWeights(run.id, 100, w(1));
  assert.deepEqual(await store.getWeights(run.id), { step: 200, tensors: w(2) });
  await store.saveWeights(run.id, 200, w(3));
  assert.deepEqual(await store.getWeights(run.id), { step: 200, tensors: w(3) });
  await assert.rejects(store.saveWeights(run.id, 300, [{ name: 'w', shape: [3], data: new Float32Array(2) }]), /shape \[3\]/);
});

test('the database is in WAL mode after open', async (t) => {
  const file = tempDbPath(t);
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  // journal_mode=WAL is persistent: a second connection sees it in the file.
  const mode = await withRawDb(file, (db) => db.get<{ journal_mode: string }>('PRAGMA journal_mode'));
  assert.equal(mode?.journal_mode, 'wal');
});

test('an in-memory store works for throwaway use', async () => {
  const store = await openSqliteStore(':memory:');
  const experiment = await store.createExperiment('e', config());
  assert.equal((await store.createRun(experiment.id)).name, 'e #1');
  await store.close();
});
