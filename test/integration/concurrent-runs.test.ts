/**
 * Several writers and a reader on one database: two hosts (the app and the CLI beside it, each
 * with its own engine process) train runs into the same file while a third connection polls the
 * curves, as the UI does. No "database is locked", no point lost, and neither host takes the
 * other's live runs for abandoned.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createBackend } from '../../src-main/api/backend';
import type { ExperimentConfigInput } from '../../src-shared/config';
import { openSqliteStore } from '../../src-main/store';
import { loggedSteps, tappedEngine } from '../support/faults';
import { tempDir } from '../support/fixtures';

const tmp = tempDir();
after(() => tmp.cleanup());

const STEPS = 300;
/** Logs at every step, so the writers commit often. */
const BUSY: ExperimentConfigInput = {
  seed: 4,
  data: { kind: 'gaussian-mixture', n: 500 },
  model: { kind: 'mlp', hidden: [16, 16] },
  train: { steps: STEPS, batchSize: 32, logEvery: 1, checkpointEvery: 100 },
  sampler: { kind: 'annealed-langevin', n: 100, stepsPerLevel: 5 },
};

test('two hosts train three runs into one file while a reader polls: nothing locked, nothing lost', async () => {
  const dbPath = join(tmp.dir, 'shared.sqlite');
  const app = tappedEngine();
  const cli = tappedEngine();
  const first = await createBackend({ dbPath, createEngineChannel: app.factory });
  const experiment = await first.call('createExperiment', { name: 'busy', config: BUSY });
  // The first host queues two runs on its engine (one engine process trains one job at a time).
  const one = await first.call('startRun', { experimentId: experiment.id });
  const two = await first.call('startRun', { experimentId: experiment.id });

  // The second host opens the same file while they are live: they are not its to interrupt.
  const second = await createBackend({ dbPath, createEngineChannel: cli.factory });
  assert.deepEqual(second.interruptedAtStart, []);
  const three = await second.call('startRun', { experimentId: experiment.id });

  const reader = await openSqliteStore(dbPath);
  const errors: unknown[] = [];
  // Rounds that saw a run live: the reads overlapped its writes. (A count of all rounds would
  // measure the machine's speed; overlapping rounds are what the test needs.)
  let readsMidRun = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      try {
        let midRun = false;
        for (const run of [one, two, three]) {
          await reader.getCurve(run.id, 'loss', 500);
          const seen = await reader.getRun(run.id);
          if (seen?.status === 'running') midRun = true;
        }
        if (midRun) readsMidRun++;
      } catch (err) {
        errors.push(err);
      }
    }
  })();

  try {
    await Promise.all([first.runs.whenSettled(one.id), first.runs.whenSettled(two.id), second.runs.whenSettled(three.id)]);
  } finally {
    polling = false;
    await poll;
    await first.close();
    await second.close();
  }

  assert.deepEqual(errors, [], 'the reader never failed (no SQLITE_BUSY)');
  assert.ok(readsMidRun > 0, 'the reader read while the runs were being written');
  for (const [run, tap] of [
    [one, app.tap],
    [two, app.tap],
    [three, cli.tap],
  ] as const) {
    const stored = await reader.getRun(run.id);
    assert.equal(stored?.status, 'completed', stored?.error ?? '');
    const sent = tap.pointsOf(run.id);
    assert.deepEqual(
      sent.get('loss')!.map((p) => p.step),
      loggedSteps(STEPS, 1),
    );
    // Every point each engine sent is in the file, exactly once, with its value.
    assert.deepEqual((await reader.listMetricKeys(run.id)).sort(), [...sent.keys()].sort());
    for (const [key, points] of sent)
      assert.deepEqual(
        (await reader.getCurve(run.id, key, Infinity)).map((p) => [p.step, p.value]),
        points.map((p) => [p.step, p.value]),
        `run ${run.id} ${key}`,
      );
  }
  await reader.close();
});
