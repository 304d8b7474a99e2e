/**
 * How samples and noise levels read when runs differ in data and schedule, in browser mode against
 * runs the engine trained (through the CLI): the compare view gives each run's own σ at a level
 * index and says where the schedules part; galleries share an axis box only across runs on the
 * same data; metrics show four significant digits and the MMD²'s standard error; the run page's
 * samples plot hides either layer from its legend. Screenshots land in test-results/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatEstimate } from '../../src-renderer/src/lib/format';
import { ARTIFACTS_DIR, browserModeSuite, callApi, screenshotMain, waitForText } from '../support/browser-mode';
import { TINY_CONFIG } from '../support/fixtures';
import { seedDatabase } from '../support/seed';

let page: Page;
const errors: string[] = [];
const ids: Record<string, number> = {};

const BASE = { ...TINY_CONFIG, train: { steps: 100, batchSize: 64, logEvery: 5, lr: 0.003 } };

const suite = browserModeSuite('samples-plots.sqlite', {
  prepare: async (dir, dbPath) => {
    const seeded = await seedDatabase(dir, dbPath, [
      // The default schedule: 10 geometric levels from σ = 10 to 0.05.
      { name: 'mix-a', config: { ...BASE, seed: 1 } },
      { name: 'mix-b', config: { ...BASE, seed: 2 } },
      {
        name: 'roll',
        config: {
          ...BASE,
          seed: 3,
          data: { kind: 'swiss-roll', n: 1500 },
          schedule: { kind: 'geometric', levels: 5, sigmaMin: 0.1, sigmaMax: 5 },
          sampler: { kind: 'annealed-langevin', n: 400, stepsPerLevel: 5 },
        },
      },
    ]);
    for (const s of seeded) ids[s.name] = s.runId;
    assert.deepEqual(
      seeded.map((s) => s.status),
      ['completed', 'completed', 'completed'],
    );
  },
  ready: async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (err) => errors.push(err.message));
  },
});

/** The compare view's label of a seeded run: "#id name" (the store numbers a run within its experiment: "mix-a #1"; no regex specials). */
let labels: Record<string, string> = {};
const label = (name: string) => labels[name];

test('the compare view titles each level with every run’s own σ, and says where the schedules differ', async () => {
  const runs = await callApi(suite.app, 'listRuns', {});
  labels = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, `#${id} ${runs.find((r) => r.id === id)!.name}`]));
  // Same schedule: one σ per level, no note.
  await page.goto(`${suite.app.url}#/compare/${ids['mix-a']},${ids['mix-b']}`);
  await waitForText(page.getByTestId('level-title-0'), /^level 0 · σ = 10$/, 30_000);
  await waitForText(page.getByTestId('level-title-9'), /^level 9 · σ = 0\.05$/, 5000);
  assert.equal(await page.getByTestId('level-sigma-note').count(), 0);

  // Different schedules: level 0 is σ = 10 in one run and 5 in the other.
  await page.goto(`${suite.app.url}#/compare/${ids['mix-a']},${ids.roll}`);
  await waitForText(page.getByTestId('level-sigma-note'), new RegExp(`Schedules differ: level 0 means σ = 10 in ${label('mix-a')}, 5 in ${label('roll')}\\.`), 30_000);
  assert.equal(await page.getByTestId('level-title-0').textContent(), 'level 0 · σ = 10 / 5');
  // Level 7 exists in the mixture's 10-level schedule only: σ_7 = 10·(0.005)^{7/9}.
  assert.equal(await page.getByTestId('level-title-7').textContent(), `level 7 · σ = ${Number((10 * 0.005 ** (7 / 9)).toPrecision(4))} / —`);
  // The score-field picker: each option gives every run's σ at that index.
  const options = await page.getByTestId('compare-score-level').locator('option').allTextContents();
  assert.equal(options.length, 10);
  assert.equal(options[0], `0: σ = 10 in ${label('mix-a')}, 5 in ${label('roll')}`);
  assert.match(options[9], new RegExp(`^9: σ = 0\\.05 in ${label('mix-a')}, no such level in ${label('roll')}$`));
  assert.match((await page.getByTestId('compare-score-sigma-note').textContent()) ?? '', /Schedules differ: level 0/);
  assert.deepEqual(errors, []);
});

test('galleries share an axis box across runs on the same data only, and show MMD² ± its standard error', async () => {
  await page.goto(`${suite.app.url}#/compare/${ids['mix-a']},${ids['mix-b']},${ids.roll}`);
  for (const [name, n] of [
    ['mix-a', 100],
    ['mix-b', 100],
    ['roll', 400],
  ] as const)
    await page.locator(`[data-testid=gallery-${ids[name]}] canvas[data-drawn="${n}"]`).waitFor({ timeout: 30_000 });
  const frame = (name: string) => page.locator(`[data-testid=gallery-${ids[name]}] [data-frame]`).getAttribute('data-frame');
  assert.equal(await frame('mix-a'), await frame('mix-b'));
  assert.notEqual(await frame('mix-a'), await frame('roll'));
  // The roll's box frames the roll (about [−3, 3]²), not the mixture's means at ±4.
  const width = async (name: string) => {
    const [x0, x1] = (await frame(name))!.split(';')[0].split(',').map(Number);
    return x1 - x0;
  };
  assert.ok((await width('roll')) < (await width('mix-a')), `roll box ${await frame('roll')}, mixture box ${await frame('mix-a')}`);

  for (const name of ['mix-a', 'roll']) {
    const distances = (await callApi(suite.app, 'getRun', { runId: ids[name] })).metrics!.distances!;
    assert.ok(distances.mmd2StdErr! > 0, `${name}: ${JSON.stringify(distances)}`);
    const cell = page.locator(`[data-testid=gallery-sample-metrics-${ids[name]}] tr[data-metric=mmd2] td.num`);
    assert.equal(await cell.textContent(), formatEstimate(distances.mmd2, distances.mmd2StdErr));
    assert.match((await cell.textContent()) ?? '', / ± /);
  }
  await page.getByTestId('sample-gallery').screenshot({ path: join(ARTIFACTS_DIR, 'compare-galleries-datasets.png') });
  await screenshotMain(page, 'compare-datasets.png');
  assert.deepEqual(errors, []);
});

test('the run page draws samples over the data as translucent points, and its legend hides either layer', async () => {
  await page.goto(`${suite.app.url}#/run/${ids.roll}`);
  const canvas = page.getByTestId('samples-canvas');
  await page.locator('[data-testid=samples-canvas][data-drawn-samples="400"][data-drawn-data="1500"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('samples-chart').screenshot({ path: join(ARTIFACTS_DIR, 'run-samples-roll.png') });

  const drawn = async () => [await canvas.getAttribute('data-drawn-data'), await canvas.getAttribute('data-drawn-samples')];
  const samplesButton = page.getByTestId('samples-legend-samples');
  const dataButton = page.getByTestId('samples-legend-data');
  await samplesButton.click();
  await page.locator('[data-testid=samples-canvas][data-drawn-samples="0"]').waitFor();
  assert.deepEqual(await drawn(), ['1500', '0']);
  assert.equal(await samplesButton.getAttribute('aria-pressed'), 'false');
  await dataButton.click();
  await page.locator('[data-testid=samples-canvas][data-drawn-data="0"]').waitFor();
  assert.deepEqual(await drawn(), ['0', '0']);
  await samplesButton.click();
  await page.locator('[data-testid=samples-canvas][data-drawn-samples="400"]').waitFor();
  assert.deepEqual(await drawn(), ['0', '400']);
  await dataButton.click();
  await page.locator('[data-testid=samples-canvas][data-drawn-data="1500"]').waitFor();

  // The run page's metrics: MMD² ± its standard error.
  const distances = (await callApi(suite.app, 'getRun', { runId: ids.roll })).metrics!.distances!;
  assert.equal(
    await page.locator('[data-testid=sample-metrics] tr[data-metric=mmd2] td.num').textContent(),
    formatEstimate(distances.mmd2, distances.mmd2StdErr),
  );
  assert.deepEqual(errors, []);
});
