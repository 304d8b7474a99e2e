/** What the runs table changes in the store: names, tags, notes, archiving, deleting, importing. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { openSqliteStore, SCHEMA_VERSION, type RunRecord, type Store } from '../../../src-main/store';
import { config, createOldDatabase, tempDbPath, withRawDb } from './fixtures';

/** Every table with a run_id column: what "every row a run owns" means, whatever the schema adds. */
function runTables(file: string): Promise<string[]> {
  return withRawDb(file, async (db) => {
    const rows = await db.all<{ name: string }>(
      `SELECT m.name FROM sqlite_schema m WHERE m.type = 'table'
         AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'run_id') ORDER BY m.name`,
    );
    return rows.map((r) => r.name);
  });
}

async function openStore(t: TestContext, file = tempDbPath(t)): Promise<Store> {
  const store = await openSqliteStore(file);
  t.after(() => store.close());
  return store;
}

/** A run with a row in every table that holds run data. */
async function fullRun(store: Store, experimentId: number): Promise<number> {
  const run = await store.createRun(experimentId);
  await store.appendMetrics(run.id, [
    { key: 'loss', step: 0, time: 0, value: 3 },
    { key: 'loss', step: 10, time: 0.5, value: 2 },
    { key: 'loss/level/0', step: 10, time: 0.5, value: 1 },
  ]);
  await store.saveSchedule(run.id, [{ level: 0, sigma: 1, alpha: 0.1, weight: 1 }]);
  await store.saveTrainingData(run.id, { n: 1, dim: 2, points: [1, 2] });
  await store.saveSampleSet({ runId: run.id, label: 'final', n: 1, dim: 2, points: [0.5, 0.25], metrics: { n: 1 } });
  await store.saveWeights(run.id, 10, [{ name: 'w', shape: [2], data: new Float32Array([1, 2]) }]);
  return run.id;
}

/** Rows per table for one run, read behind the store's back. */
async function rowCounts(file: string, runId: number): Promise<Record<string, number>> {
  const tables = await runTables(file);
  return withRawDb(file, async (db) => {
    const counts: Record<string, number> = {};
    for (const table of ['runs', ...tables]) {
      const column = table === 'runs' ? 'id' : 'run_id';
      counts[table] = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`, [runId]))?.n ?? -1;
    }
    return counts;
  });
}

test('a run starts untagged, without notes, not archived; name, tags, notes and archived change only when given', async (t) => {
  const store = await openStore(t);
  const run = await store.createRun((await store.createExperiment('e', config())).id);
  assert.deepEqual([run.tags, run.notes, run.archived], [[], '', false]);

  await store.updateRun(run.id, { name: 'renamed', tags: ['baseline', 'σ-sweep'], notes: 'first try\nline two' });
  await store.updateRun(run.id, { archived: true, name: undefined });
  const edited = await store.getRun(run.id);
  assert.deepEqual(
    { name: edited?.name, tags: edited?.tags, notes: edited?.notes, archived: edited?.archived, status: edited?.status },
    { name: 'renamed', tags: ['baseline', 'σ-sweep'], notes: 'first try\nline two', archived: true, status: 'queued' },
  );
  assert.deepEqual((await store.listRuns())[0], edited);
  await store.updateRun(run.id, { archived: false, tags: [] });
  assert.deepEqual([(await store.getRun(run.id))?.archived, (await store.getRun(run.id))?.tags], [false, []]);
});

test('deleting a run removes every row it owns and nothing of other runs; its experiment goes with its last run', async (t) => {
  const file = tempDbPath(t);
  const store = await openStore(t, file);
  const experiment = await store.createExperiment('e', config());
  const a = await fullRun(store, experiment.id);
  const b = await fullRun(store, experiment.id);
  const before = await rowCounts(file, b);

  for (const table of ['metrics', 'metric_blocks', 'schedule', 'training_data', 'sample_sets', 'weights'])
    assert.ok(before[table] > 0, `run b has rows in ${table}`);
  assert.equal(await store.deleteRun(a), true);
  const left = await rowCounts(file, a);
  assert.ok(Object.keys(left).length >= 7, `tables checked: ${Object.keys(left).join(', ')}`);
  assert.ok(Object.values(left).every((n) => n === 0), `rows left: ${JSON.stringify(left)}`);
  assert.deepEqual(await rowCounts(file, b), before);
  assert.ok(await store.getExperiment(experiment.id), 'the experiment still has run b');
  assert.equal(await store.deleteRun(a), false);

  assert.equal(await store.deleteRun(b), true);
  assert.equal(await store.getExperiment(experiment.id), null);
  assert.deepEqual(await store.listRuns(), []);
});

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  const cfg = config({ seed: 3, train: { steps: 20 } });
  return {
    experiment: { name: 'imported', config: cfg },
    run: {
      name: 'imported #1',
      status: 'completed',
      createdAt: '2025-03-04T05:06:07.008Z',
      startedAt: '2025-03-04T05:06:08.008Z',
      finishedAt: '2025-03-04T05:07:08.008Z',
      backend: { name: 'cpu', package: '@tensorflow/tfjs', gpu: false, fallbacks: [] },
      seed: 3,
      steps: 20,
      totalSteps: 20,
      trainSeconds: 1.5,
      sampleSeconds: 0.25,
      finalLoss: 0.75,
      metrics: { n: 2, modeShareError: 0.1 },
      error: null,
      tags: ['a'],
      notes: 'n',
    },
    curves: [
      { key: 'loss', points: [{ step: 0, time: 0, value: 2 }, { step: 20, time: 1.5, value: 0.75 }] },
      { key: 'loss/level/0', points: [{ step: 20, time: 1.5, value: NaN }] },
    ],
    schedule: [{ level: 0, sigma: 2, alpha: 0.5, weight: 4 }],
    trainingData: { n: 2, dim: 1, points: [1, 2] },
    sampleSets: [{ label: 'final', n: 2, dim: 1, points: [0.5, NaN], metrics: { n: 2, modeShareError: 0.1 } }],
    weights: [{ step: 20, tensors: [{ name: 'w', shape: [1, 2], data: new Float32Array([3, 4]) }] }],
    ...overrides,
  };
}

test('importRun writes a new experiment and run with every record as given', async (t) => {
  const store = await openStore(t);
  const rec = record();
  const run = await store.importRun(rec);
  const { id, experimentId, dataKind, objectiveKind, scheduleKind, samplerKind, config: cfg, archived, version, ...fields } = run;
  assert.deepEqual(fields, rec.run);
  assert.deepEqual(
    [dataKind, objectiveKind, scheduleKind, samplerKind, archived, version],
    ['gaussian-mixture', 'dsm', 'geometric', 'annealed-langevin', false, 1],
  );
  assert.deepEqual(cfg, rec.experiment.config);
  assert.equal((await store.getExperiment(experimentId))?.name, 'imported');
  assert.deepEqual(await store.getCurve(id, 'loss', Infinity), rec.curves[0].points);
  assert.deepEqual(await store.getCurve(id, 'loss/level/0', Infinity), rec.curves[1].points);
  assert.deepEqual(await store.getSchedule(id), rec.schedule);
  assert.deepEqual(await store.getTrainingData(id), rec.trainingData);
  assert.deepEqual(await store.listSampleSets(id), rec.sampleSets.map((s) => ({ ...s, runId: id })));
  assert.deepEqual(await store.listWeights(id), rec.weights);
});

test('an import that fails part-way writes nothing at all', async (t) => {
  const file = tempDbPath(t);
  const store = await openStore(t, file);
  // The last record written is malformed: everything before it must be rolled back.
  const bad = record({ weights: [{ step: 1, tensors: [{ name: 'w', shape: [3], data: new Float32Array([1]) }] }] });
  await assert.rejects(store.importRun(bad), /shape \[3\] holds 3 numbers/);
  assert.deepEqual(await store.listRuns(), []);
  const tables = await runTables(file);
  const left = await withRawDb(file, async (db) => {
    const counts: number[] = [];
    for (const table of ['experiments', 'runs', ...tables])
      counts.push((await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? -1);
    return counts;
  });
  assert.ok(left.every((n) => n === 0), `rows left behind: ${left.join(', ')}`);
});

test('a version 1 database is brought to the current version, its runs untagged, without notes, not archived', async (t) => {
  const file = tempDbPath(t);
  await createOldDatabase(file, 1);
  const store = await openStore(t, file);
  const run = await store.getRun(1);
  assert.deepEqual([run?.name, run?.tags, run?.notes, run?.archived], ['old #1', [], '', false]);
  const version = await withRawDb(file, (db) => db.get<{ user_version: number }>('PRAGMA user_version'));
  assert.equal(version?.user_version, SCHEMA_VERSION);
});
