/**
 * The run page's progress line while a run samples: the sampler's own statistics (MALA's acceptance
 * rate, its step size and the model evaluations so far) arrive with its progress and are shown.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserModeSuite, callApi, waitForText } from '../support/browser-mode';
import { TINY_CONFIG } from '../support/fixtures';

const suite = browserModeSuite('sampling-stats.sqlite');

test('while MALA samples, the progress line shows its acceptance rate, step size and NFE', async () => {
  // The analytic model has a density and needs no training; a million steps keep it sampling until cancelled.
  const config = { ...TINY_CONFIG, model: { kind: 'analytic' as const }, sampler: { kind: 'mala' as const, n: 50, steps: 1_000_000, eps: 0.05 } };
  const experiment = await callApi(suite.app, 'createExperiment', { name: 'stats', config });
  const run = await callApi(suite.app, 'startRun', { experimentId: experiment.id });
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  try {
    await page.goto(`${suite.app.url}#/run/${run.id}`);
    const rate = await waitForText(page.getByTestId('sampling-stat-acceptanceRate'), /^\d+\.\d%$/, 120_000);
    const percent = Number(rate.slice(0, -1));
    assert.ok(percent > 0 && percent < 100, `acceptance ${rate}`);
    assert.equal(await page.getByTestId('sampling-stat-stepSize').textContent(), '0.05');
    await waitForText(page.getByTestId('sampling-stat-nfe'), /^[\d,]+$/, 10_000);
    assert.deepEqual(errors, []);
  } finally {
    await callApi(suite.app, 'cancelRun', { runId: run.id });
    await page.close();
  }
});
