/** Run bundles: a run exported and imported comes back whole; anything damaged is refused, naming the field. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { exportRunBundle, importRequestBytes, importRunBundle } from '../../../src-main/api/run-bundle';
import { ApiError } from '../../../src-shared/api';
import { BUNDLE_FORMAT_VERSION, canonicalJson, digestInput, type RunBundle } from '../../../src-shared/bundle';
import { openSqliteStore, type Store } from '../../../src-main/store';
import { config, tempDbPath } from '../store/fixtures';

async function storeWithFinishedRun(t: TestContext): Promise<{ store: Store; runId: number }> {
  const store = await openSqliteStore(tempDbPath(t));
  t.after(() => store.close());
  const cfg = config({ seed: 5, train: { steps: 300 }, schedule: { kind: 'geometric', levels: 2 } });
  const run = await store.createRun((await store.createExperiment('source', cfg)).id);
  const points = [];
  for (let step = 0; step <= 300; step += 10) {
    points.push({ key: 'loss', step, time: step / 100, value: step === 150 ? NaN : 1 / (1 + step) });
    points.push({ key: 'loss/level/0', step, time: step / 100, value: 2 / (1 + step) });
    points.push({ key: 'loss/level/1', step, time: step / 100, value: 3 / (1 + step) });
  }
  await store.appendMetrics(run.id, points);
  await store.saveSchedule(run.id, [
    { level: 0, sigma: 10, alpha: 0.1, weight: 100 },
    { level: 1, sigma: 0.05, alpha: 2.5e-6, weight: 0.0025 },
  ]);
  await store.saveTrainingData(run.id, { n: 3, dim: 2, points: [1, 2, 3, 4, 5, 6] });
  await store.saveSampleSet({ runId: run.id, label: 'final', n: 2, dim: 2, points: [0.5, NaN, 1.5, 2], metrics: { n: 2, modeShareError: 0.25 } });
  // A trajectory frame: its frame travels with it.
  await store.saveSampleSet({
    runId: run.id,
    label: 'trajectory/0',
    frame: { index: 0, step: 0, total: 10, level: 0, sigma: 10 },
    n: 1,
    dim: 2,
    points: [3, 4],
    metrics: { n: 1 },
  });
  await store.saveWeights(run.id, 300, [
    { name: 'dense/kernel', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6.5]) },
    { name: 'dense/bias', shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) },
  ]);
  await store.updateRun(run.id, {
    status: 'completed',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:01:00.000Z',
    steps: 300,
    finalLoss: 1 / 301,
    trainSeconds: 3,
    metrics: { n: 2, modeShareError: 0.25 },
    tags: ['kept'],
    notes: 'travels along',
  });
  return { store, runId: run.id };
}

/** The issues an import is refused with, as field → message. */
async function refusal(store: Store, input: unknown): Promise<Record<string, string>> {
  const before = (await store.listRuns()).length;
  const err = await importRunBundle(store, input).then(
    () => assert.fail('the bundle was accepted'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError && err.code === 'invalid-argument', `expected invalid-argument, got ${String(err)}`);
  assert.equal((await store.listRuns()).length, before, 'a refused bundle must write nothing');
  return Object.fromEntries((err.issues ?? []).map((i) => [i.field, i.message]));
}

/** A bundle changed and given a matching digest: only the schema can catch what is wrong with it. */
function redigested(bundle: RunBundle, change: (b: RunBundle) => void): RunBundle {
  const copy = structuredClone(bundle);
  change(copy);
  copy.digest.value = createHash('sha256').update(digestInput(copy)).digest('hex');
  return copy;
}

test('a run exported and imported (as an object or as its file text) is a new run with the same records', async (t) => {
  const { store, runId } = await storeWithFinishedRun(t);
  const source = (await store.getRun(runId))!;
  const bundle = await exportRunBundle(store, source);
  assert.equal(bundle.formatVersion, BUNDLE_FORMAT_VERSION);

  for (const input of [bundle, JSON.stringify(bundle, null, 2)]) {
    const imported = await importRunBundle(store, input);
    assert.notEqual(imported.id, source.id);
    assert.notEqual(imported.experimentId, source.experimentId);
    // A new row: its own id, experiment and version history.
    const strip = ({ id: _i, experimentId: _e, version: _v, ...rest }: typeof source) => rest;
    assert.deepEqual(strip(imported), strip(source));
    assert.equal(imported.version, 1);
    for (const key of await store.listMetricKeys(runId))
      assert.deepEqual(await store.getCurve(imported.id, key, Infinity), await store.getCurve(runId, key, Infinity));
    assert.deepEqual(await store.listMetricKeys(imported.id), await store.listMetricKeys(runId));
    assert.deepEqual(await store.getSchedule(imported.id), await store.getSchedule(runId));
    assert.deepEqual(await store.getTrainingData(imported.id), await store.getTrainingData(runId));
    assert.deepEqual(
      (await store.listSampleSets(imported.id)).map((s) => ({ ...s, runId })),
      await store.listSampleSets(runId),
    );
    assert.deepEqual(await store.listWeights(imported.id), await store.listWeights(runId));
  }
});

test('a live run cannot be exported', async (t) => {
  const { store, runId } = await storeWithFinishedRun(t);
  await store.updateRun(runId, { status: 'running' });
  await assert.rejects(exportRunBundle(store, (await store.getRun(runId))!), (e: unknown) => e instanceof ApiError && e.code === 'conflict');
});

test('truncated, altered, foreign and newer bundles are refused, naming the field, and write nothing', async (t) => {
  const { store, runId } = await storeWithFinishedRun(t);
  const bundle = await exportRunBundle(store, (await store.getRun(runId))!);
  const text = JSON.stringify(bundle);

  assert.match((await refusal(store, text.slice(0, text.length / 2)))['bundle'], /not JSON.*truncated/);
  assert.match((await refusal(store, { ...bundle, formatVersion: BUNDLE_FORMAT_VERSION + 1 }))['bundle.formatVersion'], /newer Scorebench/);
  assert.match((await refusal(store, { ...bundle, format: 'something-else' }))['bundle.format'], /not a Scorebench run bundle/);
  assert.deepEqual(Object.keys(await refusal(store, [])), ['bundle']);

  // Edited in place: still well-formed, but the digest no longer matches.
  const edited = structuredClone(bundle);
  edited.curves[0].values[3] = 0.001;
  assert.match((await refusal(store, edited))['bundle.digest'], /altered or damaged/);
  // Re-indenting or reordering keys is not an alteration.
  const reordered = JSON.parse(canonicalJson(bundle)) as RunBundle;
  assert.ok((await importRunBundle(store, JSON.stringify(reordered, null, 1))).id > 0);

  // Damage the digest cannot see, because the digest was recomputed after it.
  assert.match(
    (await refusal(store, redigested(bundle, (b) => b.curves[1].values.pop())))['bundle.curves[1].values'],
    /holds 30 values for 31 steps/,
  );
  assert.match(
    (await refusal(store, redigested(bundle, (b) => (b.trainingData!.points = b.trainingData!.points.slice(1)))))['bundle.trainingData.points'],
    /n × dim/,
  );
  assert.match(
    (await refusal(store, redigested(bundle, (b) => (b.weights[0].tensors[0].data = b.weights[0].tensors[0].data.slice(0, 8)))))[
      'bundle.weights[0].tensors[0].data'
    ],
    /float32 per element/,
  );
  assert.match((await refusal(store, redigested(bundle, (b) => (b.run.totalSteps = 7))))['bundle.run.totalSteps'], /train\.steps 300/);
  assert.match(
    (await refusal(store, redigested(bundle, (b) => ((b.experiment.config as { train: { lr: number } }).train.lr = -1))))[
      'bundle.experiment.config.train.lr'
    ],
    /lr must be > 0/,
  );
  assert.match((await refusal(store, redigested(bundle, (b) => (b.run.status = 'running' as never))))['bundle.run.status'], /live run/);
  assert.ok('bundle' in (await refusal(store, redigested(bundle, (b) => Object.assign(b, { extra: 1 })))));
  assert.match((await refusal(store, redigested(bundle, (b) => b.curves[0].steps.reverse())))['bundle.curves[0].steps[1]'], /increase/);
});

test('impossible shapes and unknown sample-set labels are refused, naming the field, and write nothing', async (t) => {
  const { store, runId } = await storeWithFinishedRun(t);
  const bundle = await exportRunBundle(store, (await store.getRun(runId))!);
  // 10⁹ points of dimension 0 match an empty array by n × dim alone.
  const empty = (b: RunBundle) => Object.assign(b.sampleSets[0], { n: 1e9, dim: 0, points: [] });
  assert.match((await refusal(store, redigested(bundle, empty)))['bundle.sampleSets[0].dim'], /must be ≥ 1/);
  const emptyData = (b: RunBundle) => Object.assign(b.trainingData!, { n: 1e9, dim: 0, points: [] });
  assert.match((await refusal(store, redigested(bundle, emptyData)))['bundle.trainingData.dim'], /must be ≥ 1/);
  for (const label of ['made-up', 'trajectory/x', 'checkpoint/-1', 'final/2', 'trajectory/01'])
    assert.match(
      (await refusal(store, redigested(bundle, (b) => (b.sampleSets[0].label = label))))['bundle.sampleSets[0].label'],
      /not a sample-set label/,
      label,
    );
  // Every label a run or an inspect job writes is one the bundle accepts.
  for (const label of ['final', 'inpaint/reference', 'interpolation', 'trajectory/12', 'checkpoint/500'])
    assert.ok((await importRunBundle(store, redigested(bundle, (b) => (b.sampleSets[0].label = label)))).id > 0, label);
});

test('export refuses a bundle that import would refuse as too large, naming the limit', async (t) => {
  const { store, runId } = await storeWithFinishedRun(t);
  const run = (await store.getRun(runId))!;
  const bundle = await exportRunBundle(store, run);
  // The request the UI sends: the file's text as a JSON string under "bundle".
  const text = JSON.stringify(bundle);
  const request = JSON.stringify({ bundle: text });
  assert.equal(importRequestBytes(text), Buffer.byteLength(request, 'utf8'));
  assert.equal(importRequestBytes('{"a":"\\é"}'), Buffer.byteLength(JSON.stringify({ bundle: '{"a":"\\é"}' }), 'utf8'));

  const bytes = importRequestBytes(text);
  assert.ok((await exportRunBundle(store, run, bytes + 64)).digest.value.length === 64, 'a bundle within the limit exports');
  await assert.rejects(exportRunBundle(store, run, bytes - 64), (e: unknown) => {
    assert.ok(e instanceof ApiError && e.code === 'invalid-argument');
    assert.match(e.message, new RegExp(`more than the ${bytes - 64} bytes import accepts`));
    return true;
  });
});
