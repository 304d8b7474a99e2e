/**
 * What the run manager stores of a run's samples and checkpoints: trajectory frames are kept with
 * their frame, the run's summary metrics come from the 'final' set alone, and checkpoints keep
 * their weights for the checkpoint slider. The engine is a stand-in that replays messages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventHub } from '../../../src-main/api/event-hub';
import { RunManager } from '../../../src-main/api/run-manager';
import { requireExperimentConfig } from '../../../src-shared/config';
import { openSqliteStore } from '../../../src-main/store';
import { standInEngine } from './stand-in-engine';

test('frames are stored with their frame, the summary metrics only from the final set, and checkpoint weights are kept', async (t) => {
  const store = await openSqliteStore(':memory:');
  t.after(() => store.close());
  const { engine, send } = standInEngine();
  const runs = new RunManager(store, engine, new EventHub());
  const config = requireExperimentConfig({ train: { steps: 20, checkpointEvery: 10 } });
  const experiment = await store.createExperiment('e', config);
  const run = await runs.start(experiment.id, process.cwd());
  await new Promise((r) => setImmediate(r));
  const jobId = run.id;
  const weights = [{ name: 'w', shape: [1], data: new Float32Array([0.5]) }];
  for (const step of [10, 20])
    send({ type: 'checkpoint', jobId, checkpoint: { step, trainSeconds: step, loss: 1, weights, optimizer: [], rng: {} } });
  const frame = { index: 1, step: 50, total: 100, level: 4, sigma: 1.5 };
  send({ type: 'samples', jobId, label: 'trajectory/1', n: 1, dim: 2, points: new Float32Array([3, 4]), metrics: { n: 1, modeShareError: 0.9 }, frame });
  send({ type: 'samples', jobId, label: 'final', n: 1, dim: 2, points: new Float32Array([1, 2]), metrics: { n: 1, modeShareError: 0.1 } });
  // A frame arriving after the final set (a sampler that streams its last frame late) must not overwrite the summary.
  send({ type: 'samples', jobId, label: 'trajectory/2', n: 1, dim: 2, points: new Float32Array([1, 2]), metrics: { n: 1, modeShareError: 0.7 }, frame: { ...frame, index: 2 } });
  send({ type: 'finished', jobId, status: 'completed', steps: 20, trainSeconds: 1, sampleSeconds: 1, finalLoss: 1 });
  await runs.whenSettled(run.id);

  assert.deepEqual((await store.getRun(run.id))?.metrics, { n: 1, modeShareError: 0.1 });
  assert.deepEqual((await store.getSampleSet(run.id, 'trajectory/1'))?.frame, frame);
  assert.equal((await store.getSampleSet(run.id, 'final'))?.frame, undefined);
  assert.deepEqual(await store.listWeightSteps(run.id), [10, 20]);
  assert.deepEqual((await store.getWeights(run.id, 10))?.tensors, weights);
});
