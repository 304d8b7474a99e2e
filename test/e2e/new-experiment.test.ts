/**
 * The new-experiment form in browser mode: every kind of every section can be picked from its
 * menu, which rewrites that section of the JSON; the inline validation names what a pick still
 * needs or conflicts with, before anything is sent.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KIND_SECTIONS, sectionKinds } from '../../src-shared/config';
import { browserModeSuite, openPage, waitForText } from '../support/browser-mode';

const suite = browserModeSuite('form.sqlite');

test('each section menu lists every kind the schema accepts; a pick rewrites that section and is validated inline', async () => {
  const page = await openPage(suite.browser, { viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${suite.app.url}#/new`);
  await page.getByTestId('preset-select').selectOption('mixture-dsm-ald');
  await waitForText(page.getByTestId('config-valid'), /valid/);

  for (const section of KIND_SECTIONS) {
    // Each option's text is its kind.
    const offered = await page.getByTestId(`kind-${section}`).locator('option').allTextContents();
    assert.deepEqual(offered, sectionKinds(section), `${section} menu`);
  }

  // Explicit score matching needs data whose score is known: two moons' is not.
  await page.getByTestId('kind-objective').selectOption('esm');
  await waitForText(page.getByTestId('config-valid'), /valid/);
  await page.getByTestId('kind-data').selectOption('two-moons');
  await waitForText(page.getByTestId('config-issues'), /objective\.kind: esm needs data whose score is known/);
  const json = JSON.parse(await page.getByTestId('config-editor').inputValue()) as Record<string, { kind: string }>;
  assert.deepEqual([json.data, json.objective.kind], [{ kind: 'two-moons' }, 'esm']);
  // A CSV needs its path, and the form says so.
  await page.getByTestId('kind-data').selectOption('csv');
  await waitForText(page.getByTestId('config-issues'), /data\.path: path is required/);

  // Back to the mixture: valid again, and nothing was created meanwhile.
  await page.getByTestId('kind-data').selectOption('gaussian-mixture');
  await waitForText(page.getByTestId('config-valid'), /valid/);
  assert.deepEqual(errors, []);
});

test('switching the schedule kind keeps the σ range and levels written, so two spacings compare over one range', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${suite.app.url}#/new`);
  await page.getByTestId('preset-select').selectOption('mixture-dsm-ald');
  const range = { sigmaMin: 0.02, sigmaMax: 25, levels: 16 };
  await page.getByTestId('config-editor').fill(JSON.stringify({ schedule: { kind: 'geometric', ...range } }));
  await waitForText(page.getByTestId('config-valid'), /valid/, 10_000);
  await page.getByTestId('kind-schedule').selectOption('cosine');
  const editor = page.getByTestId('config-editor');
  const deadline = Date.now() + 10_000;
  while (!(await editor.inputValue()).includes('cosine') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const json = JSON.parse(await editor.inputValue()) as { schedule: unknown };
  assert.deepEqual(json.schedule, { kind: 'cosine', ...range });
  await page.close();
});
