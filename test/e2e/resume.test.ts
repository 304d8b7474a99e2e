/**
 * Pause and resume from the UI in browser mode: a cancelled or paused run's page offers "Resume from step N"; with a
 * new step budget it trains on to the end, on the same curve. Where a run stops depends on the machine's speed, so
 * the label expected is built from the step it stopped at, formatted as the UI formats counts (pinned to en-US);
 * the pages run in a German locale, which groups digits otherwise ("1.503"), to show the label does not follow it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiCalls, ApiMethod } from '../../src-shared/api';
import { formatInt } from '../../src-renderer/src/lib/format';
import { browserModeSuite, callApi, openPage, waitForText } from '../support/browser-mode';
import { waitFor } from '../support/faults';
import { TINY_CONFIG } from '../support/fixtures';

const suite = browserModeSuite('resume.sqlite');

const call = <K extends ApiMethod>(method: K, args: ApiCalls[K]['args']) => callApi(suite.app, method, args);

/** The resume button's whole label for a checkpoint at `step`: "Resume from step 1,503…". */
const resumeLabel = (step: number) => new RegExp(`^Resume from step ${formatInt(step)}…$`);

/** A machine locale unlike the UI's: German writes 1503 as "1.503". */
const PAGE_OPTIONS = { viewport: { width: 1280, height: 800 }, locale: 'de-DE' };

test('a cancelled run resumes from its checkpoint from the run page, with a new step budget, and completes', async () => {
  const experiment = await call('createExperiment', {
    name: 'stopped',
    config: { ...TINY_CONFIG, train: { steps: 1_000_000, batchSize: 32, logEvery: 5, checkpointEvery: 500 } },
  });
  const run = await call('startRun', { experimentId: experiment.id });
  // Past step 1,000 whatever the machine's speed, so the label has digits to group.
  await waitFor('a checkpoint at step 1,000', async () => ((await call('getCheckpointInfo', { runId: run.id }))?.step ?? 0) >= 1000);
  await call('cancelRun', { runId: run.id });
  const checkpoint = await waitFor('the cancel checkpoint', async () => {
    const cancelled = (await call('getRun', { runId: run.id })).status === 'cancelled';
    return cancelled ? call('getCheckpointInfo', { runId: run.id }) : undefined;
  });
  assert.ok(checkpoint && checkpoint.step >= 1000, `checkpoint: ${JSON.stringify(checkpoint)}`);

  const page = await openPage(suite.browser, PAGE_OPTIONS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${suite.app.url}#/run/${run.id}`);
  await waitForText(page.getByTestId('run-status'), /cancelled/i);
  await waitForText(page.getByTestId('resume-run'), resumeLabel(checkpoint.step));
  await page.getByTestId('resume-run').click();

  // A budget that is not a number is refused, naming the field; nothing starts.
  await page.getByTestId('resume-steps').fill('lots');
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('resume'), /train\.steps/);
  assert.equal((await call('getRun', { runId: run.id })).status, 'cancelled');

  const total = checkpoint.step + 60;
  await page.getByTestId('resume-steps').fill(String(total));
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('run-status'), /completed/i);
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
  const page = await openPage(suite.browser, PAGE_OPTIONS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${suite.app.url}#/run/${run.id}`);
  await waitForText(page.getByTestId('run-status'), /running/i);
  await waitFor('some training', async () => (await call('getRun', { runId: run.id })).steps >= 20);
  await page.getByTestId('pause-run').click();
  await waitForText(page.getByTestId('run-status'), /paused/i);

  // checkpointEvery is out of reach: the only checkpoint is the one taken when pausing.
  const paused = await call('getRun', { runId: run.id });
  const checkpoint = await call('getCheckpointInfo', { runId: run.id });
  assert.ok(checkpoint && checkpoint.step >= 20, `checkpoint: ${JSON.stringify(checkpoint)}`);
  assert.equal(checkpoint.step, paused.steps, 'the checkpoint is where the run stopped');
  await waitForText(page.getByTestId('resume-run'), resumeLabel(checkpoint.step));

  await page.getByTestId('resume-run').click();
  await page.getByTestId('resume-steps').fill(String(checkpoint.step + 30));
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('run-status'), /completed/i);
  const [loss] = await call('getCurves', { runIds: [run.id], maxPoints: 100_000 });
  assert.equal(loss.points.at(-1)!.step, checkpoint.step + 30);
  assert.ok(loss.points.every((p, i) => i === 0 || p.step > loss.points[i - 1].step), 'one curve, steps increasing');
  assert.deepEqual(errors, []);
});

test('a run resumed from its page on a warm engine shows running, its backend and its live steps; the runs table shows how it ended without a reload', async () => {
  const experiment = await call('createExperiment', {
    name: 'live',
    config: { ...TINY_CONFIG, train: { steps: 1_000_000, batchSize: 32, logEvery: 5, checkpointEvery: 1_000_000 } },
  });
  const run = await call('startRun', { experimentId: experiment.id });
  await waitFor('some training', async () => (await call('getRun', { runId: run.id })).steps >= 20);
  await call('pauseRun', { runId: run.id });
  const paused = await waitFor('the pause', async () => {
    const now = await call('getRun', { runId: run.id });
    return now.status === 'paused' ? now : undefined;
  });

  const page = await openPage(suite.browser, PAGE_OPTIONS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${suite.app.url}#/run/${run.id}`);
  await waitForText(page.getByTestId('resume-run'), resumeLabel(paused.steps));
  // The engine is warm (earlier tests ran on it): the run is running before the resume call's reply,
  // the run as it was queued, reaches the page. The reply must not put the page back to 'queued'.
  await page.getByTestId('resume-run').click();
  await page.getByTestId('resume-confirm').click();
  await waitForText(page.getByTestId('run-status'), /^running$/);
  await waitForText(page.getByTestId('run-backend'), /^backend \S+ \(/);
  await waitForText(page.locator('.stat:has([data-testid=final-loss]) .stat-label'), /^Loss \(latest\)$/);
  // The tiles follow the progress events: steps past the checkpoint, and a training rate.
  const stepsShown = async () => Number(((await page.getByTestId('steps').textContent()) ?? '').split(' / ')[0].replace(/,/g, ''));
  await waitFor('the steps tile to pass the checkpoint', async () => (await stepsShown()) > paused.steps);
  await waitForText(page.getByTestId('steps-per-second'), /^\d[\d.e]* steps\/s$/);

  await page.getByTestId('pause-run').click();
  await waitForText(page.getByTestId('run-status'), /^paused$/);
  const again = await call('getRun', { runId: run.id });
  // In-app navigation (no reload): the table shows the run as its last event left it.
  await page.evaluate(`location.hash = '#/runs'`);
  const row = page.getByTestId(`run-row-${run.id}`);
  await waitForText(row.locator('[data-status]'), /^paused$/);
  // Its steps cell (the one before the loss) says where it stopped, not 0.
  assert.equal(await row.locator(`td:has(+ [data-testid=final-loss-${run.id}])`).textContent(), formatInt(again.steps));
  assert.deepEqual(errors, []);
});
