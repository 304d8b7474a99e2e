/**
 * The whole path from the UI in browser mode: create an experiment from a preset, run it, watch it
 * finish, see the loss curve, schedule and samples, reload and see them still there.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS_DIR, browserModeSuite, waitForText } from '../support/browser-mode';

const suite = browserModeSuite('e2e.sqlite');

test('the default experiment run from the UI recovers the mixture weights and shows curve, schedule and samples, also after a reload', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(suite.app.url);

  await page.getByTestId('new-experiment-button').click();
  // The default preset: the full default config, whose samples must recover the mode weights.
  await page.getByTestId('preset-select').selectOption('mixture-dsm-ald');
  await page.getByTestId('experiment-name').fill('e2e mixture');
  await page.getByTestId('create-and-start').click();

  // The run page opens and the run finishes.
  await page.getByTestId('run-status').waitFor();
  await waitForText(page.getByTestId('run-status'), /completed/i, 240_000);
  await page.locator('[data-testid="loss-chart"] path.recharts-line-curve').first().waitFor();
  await page.locator('[data-testid="samples-canvas"][data-drawn-samples]:not([data-drawn-samples="0"])').waitFor();
  await page.locator('[data-testid="schedule-chart"] path.recharts-line-curve').first().waitFor();
  // Per-mode shares within 0.05 of the mixture weights (computed by the engine, shown on the page).
  const modeError = Number((await page.getByTestId('mode-share-error').textContent())?.match(/\d+\.\d+/)?.[0]);
  assert.ok(modeError <= 0.05, `mode-share error ${modeError} > 0.05`);
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'run-page.png'), fullPage: true });

  await page.reload();
  await page.getByTestId('run-status').waitFor();
  assert.match((await page.getByTestId('run-status').textContent()) ?? '', /completed/i);
  await page.locator('[data-testid="loss-chart"] path.recharts-line-curve').first().waitFor();
  await page.locator('[data-testid="samples-canvas"][data-drawn-samples]:not([data-drawn-samples="0"])').waitFor();
  assert.deepEqual(errors, []);
});

test('the API refuses requests without the per-launch token', async () => {
  const base = new URL(suite.app.url);
  const res = await fetch(new URL('/api/listRuns', base), { method: 'POST', body: '{}' });
  assert.equal(res.status, 401);
  const wrong = await fetch(new URL('/api/listRuns', base), {
    method: 'POST',
    body: '{}',
    headers: { 'x-scorebench-token': 'not-the-token' },
  });
  assert.equal(wrong.status, 401);
});
