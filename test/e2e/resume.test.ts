/**
 * Pause and resume from the UI in browser mode: a cancelled or paused run's page offers "Resume from step N"; with a
 * new step budget it trains on to the end, on the same curve.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiCalls, ApiMethod } from '../../src-main/common/api';
import { browserModeSuite, callApi, waitForText } from '../support/browser-mode';
import { waitFor } from '../support/faults';
import { TINY_CONFIG } from '../support/fixtures';

const suite = browserModeSuite('resume.sqlite');

const call = <K extends ApiMethod>(method: K, args: ApiCalls[K]['args']) => callApi(suite.app, method, args);

test('a cancelled run resumes from its checkpoint from the run page, with a new step budget, and completes', async () => {
  const experiment = await call('createExperiment', {
    name: 'stopped',
    config: { ...TINY_CONFIG, train: { steps: 1_000_000, batchSize: 32, logEvery: 5, checkpointEvery: 50 } },
  });
  const run = await call('startRun', { experimentId: experiment.id });
  await waitFor('a checkpoint', async () => ((await call('getCheckpointInfo', { runId: run.id }))?.step ?? 0) >= 50);
  await call('cancelRun', { runId: run.id });
  const checkpoint = await waitFor('the cancel checkpoint', async () => {
    const cancelled = (await call('getRun', { runId: run.id })).status === 'cancelled';
    return cancelled ? call('getCheckpointInfo', { runId: run.id }) : undefined;
  });

  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${suite.app.url}#/run/${run.id}`);
  await waitForText(page.getByTestId('run-status'), /cancelled/i, 30_000);
  await waitForText(page.getByTestId('resume-run'), new RegExp(`Resume from step ${checkpoint!.step}`), 30_000);
  await page.getByTestId('resume-run').click();

  // A budget that is not a number is refused, naming the field; nothing starts.
  await page.getByTestId('resume-steps').fill('lots');
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('resume'), /train\.steps/, 10_000);
  assert.equal((await call('getRun', { runId: run.id })).status, 'cancelled');

  const total = checkpoint!.step + 60;
  await page.getByTestId('resume-steps').fill(String(total));
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('run-status'), /completed/i, 60_000);
  const done = await call('getRun', { runId: run.id });
  assert.deepEqual([done.status, done.steps, done.totalSteps], ['completed', total, total]);
  const [loss] = await call('getCurves', { runIds: [run.id], maxPoints: 100_000 });
  assert.equal(loss.points.at(-1)!.step, total);
  assert.ok(loss.points.every((p, i) => i === 0 || p.step > loss.points[i - 1].step));
  assert.equal(await page.getByTestId('resume-run').count(), 0, 'a completed run offers no resume');
  assert.deepEqual(errors, []);
});

test("Pause on a training run's page stops it with a checkpoint at that step; Resume continues it on the same curve", async () => {
  const experiment = await call('createExperiment', {
    name: 'paused',
    config: { ...TINY_CONFIG, train: { steps: 1_000_000, batchSize: 32, logEvery: 5, checkpointEvery: 1_000_000 } },
  });
  const run = await call('startRun', { experimentId: experiment.id });
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${suite.app.url}#/run/${run.id}`);
  await waitForText(page.getByTestId('run-status'), /running/i, 30_000);
  await waitFor('some training', async () => (await call('getRun', { runId: run.id })).steps >= 20);
  await page.getByTestId('pause-run').click();
  await waitForText(page.getByTestId('run-status'), /paused/i, 30_000);

  // checkpointEvery is out of reach: the only checkpoint is the one taken when pausing.
  const paused = await call('getRun', { runId: run.id });
  const checkpoint = await call('getCheckpointInfo', { runId: run.id });
  assert.ok(checkpoint && checkpoint.step >= 20, `checkpoint: ${JSON.stringify(checkpoint)}`);
  assert.equal(checkpoint.step, paused.steps, 'the checkpoint is where the run stopped');
  await waitForText(page.getByTestId('resume-run'), new RegExp(`Resume from step ${checkpoint.step}`), 30_000);

  await page.getByTestId('resume-run').click();
  await page.getByTestId('resume-steps').fill(String(checkpoint.step + 30));
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('run-status'), /completed/i, 60_000);
  const [loss] = await call('getCurves', { runIds: [run.id], maxPoints: 100_000 });
  assert.equal(loss.points.at(-1)!.step, checkpoint.step + 30);
  assert.ok(loss.points.every((p, i) => i === 0 || p.step > loss.points[i - 1].step), 'one curve, steps increasing');
  assert.deepEqual(errors, []);
});
