/**
 * The compare workbench in browser mode, against a database of runs the engine trained (through
 * the CLI): filter and sort the runs table, rename, tag and archive runs, overlay two runs and
 * change smoothing, log scale, x axis and zoom, see each run's samples over its data, export a
 * bundle and import it back, delete a run, clone a config. Screenshots land in test-results/.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiCalls, ApiMethod, RunSummary } from '../../src-shared/api';
import {
  ARTIFACTS_DIR,
  browserModeSuite,
  callApi,
  openPage,
  screenshotMain as screenshotMainOf,
  waitForText,
} from '../support/browser-mode';
import { waitFor } from '../support/faults';
import { PATIENCE_MS, TINY_CONFIG } from '../support/fixtures';
import { seedDatabase, type SeededRun } from '../support/seed';

let page: Page;
const errors: string[] = [];
/** Seeded run ids by name. */
const ids: Record<string, number> = {};

/** 150 steps: curves with a shape, samples near the data; a second or two per run. lr is set, not left to its default. */
const BASE = { ...TINY_CONFIG, train: { steps: 150, batchSize: 64, logEvery: 5, lr: 0.002 } };

const suite = browserModeSuite('compare.sqlite', {
  prepare: async (dir, dbPath) => {
    const ring = Array.from({ length: 300 }, (_, i) => `${(3 * Math.cos(i)).toFixed(4)},${(3 * Math.sin(i)).toFixed(4)}`).join('\n');
    writeFileSync(join(dir, 'ring.csv'), `${ring}\n`);
    // A file the CLI lets through (it exists) that the engine refuses (a header row): a failed run.
    writeFileSync(join(dir, 'broken.csv'), 'x,y\n1,2\n');
    const seeded: SeededRun[] = await seedDatabase(dir, dbPath, [
      { name: 'alpha', config: { ...BASE, seed: 1, train: { ...BASE.train, lr: 0.001 } } },
      { name: 'beta', config: { ...BASE, seed: 2, train: { ...BASE.train, lr: 0.004 } } },
      { name: 'gamma', config: { ...BASE, seed: 3, schedule: { kind: 'geometric', levels: 5, sigmaMin: 0.1, sigmaMax: 5 } } },
      { name: 'ring', config: { ...BASE, seed: 4, data: { kind: 'csv', path: join(dir, 'ring.csv') } } },
      { name: 'broken', config: { ...BASE, seed: 5, data: { kind: 'csv', path: join(dir, 'broken.csv') } } },
    ]);
    for (const s of seeded) ids[s.name] = s.runId;
    assert.deepEqual(
      seeded.map((s) => s.status),
      ['completed', 'completed', 'completed', 'completed', 'failed'],
    );
  },
  ready: async ({ browser }) => {
    page = await openPage(browser, { viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (err) => errors.push(err.message));
  },
});

/** The API as the page calls it, for checking what the UI did. */
const call = <K extends ApiMethod>(method: K, args: ApiCalls[K]['args']) => callApi(suite.app, method, args);

/** The run ids of the table's rows, top to bottom. */
const tableIds = () =>
  page.locator('[data-testid=runs-table] tr.run-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-run-id'))));

/** Polls until the table shows exactly these runs, in this order. */
async function expectRows(expected: number[], timeoutMs = PATIENCE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number[] = [];
  while (Date.now() < deadline) {
    last = await tableIds();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(last, expected);
}

/** The runs table, freshly loaded: default filters and order, nothing selected. */
async function openRunsTable(): Promise<void> {
  await page.goto(`${suite.app.url}#/runs`);
  await page.reload();
  await page.getByTestId('runs-table').waitFor();
  await page.locator('[data-testid=runs-table] tr.run-row').first().waitFor();
}

const ALL = () => [ids.broken, ids.ring, ids.gamma, ids.beta, ids.alpha];

const screenshotMain = (name: string) => screenshotMainOf(page, name);

const pathsOf = (selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));

test('the runs table finds runs by name, config value, status, dataset and tag', async () => {
  await openRunsTable();
  await expectRows(ALL());
  const search = page.getByTestId('runs-search');
  await search.fill('beta');
  await expectRows([ids.beta]);
  await search.fill('lr=0.004');
  await expectRows([ids.beta]);
  await search.fill('levels=5');
  await expectRows([ids.gamma]);
  // "/" focuses the search field; Escape empties it.
  await page.getByTestId('runs-count').click();
  await page.keyboard.press('/');
  await page.keyboard.press('Escape');
  assert.equal(await search.inputValue(), '');
  await expectRows(ALL());

  await page.getByTestId('filter-status').selectOption('failed');
  await expectRows([ids.broken]);
  await page.getByTestId('filter-status').selectOption('');
  await page.getByTestId('filter-dataKind').selectOption('csv');
  await expectRows([ids.broken, ids.ring]);
  await page.getByTestId('clear-filters').click();
  await expectRows(ALL());
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'runs-table.png') });
});

test('sorting by final loss orders the rows by it, both ways, with runs that have none last', async () => {
  await openRunsTable();
  const runs = await call('listRuns', {});
  const byLoss = (descending: boolean) =>
    [...runs]
      .sort((a, b) => {
        if (a.finalLoss === null || b.finalLoss === null) return (a.finalLoss === null ? 1 : 0) - (b.finalLoss === null ? 1 : 0);
        return descending ? b.finalLoss - a.finalLoss : a.finalLoss - b.finalLoss;
      })
      .map((r) => r.id);
  await page.getByTestId('sort-finalLoss').click();
  await expectRows(byLoss(false));
  await page.getByTestId('sort-finalLoss').click();
  await expectRows(byLoss(true));
  assert.equal(await page.locator('th:has([data-testid=sort-finalLoss])').getAttribute('aria-sort'), 'descending');
  await page.getByTestId('sort-name').click();
  await expectRows([ids.alpha, ids.beta, ids.broken, ids.gamma, ids.ring]);
});

test('runs are renamed, tagged and archived from the table; archiving is reversible', async () => {
  await openRunsTable();
  // Rename: Escape cancels, Enter saves.
  await page.getByTestId(`rename-${ids.alpha}`).click();
  await page.getByTestId(`rename-input-${ids.alpha}`).fill('discarded');
  await page.keyboard.press('Escape');
  await waitForText(page.getByTestId(`run-link-${ids.alpha}`), /alpha #1/);
  await page.getByTestId(`rename-${ids.alpha}`).click();
  await page.getByTestId(`rename-input-${ids.alpha}`).fill('alpha renamed');
  await page.keyboard.press('Enter');
  await waitForText(page.getByTestId(`run-link-${ids.alpha}`), /alpha renamed/);
  assert.equal((await call('getRun', { runId: ids.alpha })).name, 'alpha renamed');

  // Tag two runs at once, then filter by the tag.
  await page.getByTestId(`row-select-${ids.alpha}`).check();
  await page.getByTestId(`row-select-${ids.beta}`).check();
  await page.getByTestId('bulk-tag-input').fill('baseline');
  await page.getByTestId('bulk-tag').click();
  await page.locator(`[data-testid=run-row-${ids.beta}] .tag[data-tag=baseline]`).waitFor();
  await page.locator(`[data-testid=run-row-${ids.alpha}] .tag[data-tag=baseline]`).waitFor();
  assert.deepEqual((await call('getRun', { runId: ids.beta })).tags, ['baseline']);
  await page.getByTestId('filter-tag').selectOption('baseline');
  await expectRows([ids.beta, ids.alpha]);
  await page.getByTestId('filter-tag').selectOption('');
  await page.getByRole('button', { name: 'Clear selection' }).click();

  // Archive hides; "Show archived" shows; unarchive brings it back.
  await page.getByTestId(`row-select-${ids.gamma}`).check();
  await page.getByTestId('bulk-archive').click();
  await expectRows([ids.broken, ids.ring, ids.beta, ids.alpha]);
  await waitForText(page.getByTestId('runs-count'), /1 archived hidden/);
  assert.equal((await call('getRun', { runId: ids.gamma })).archived, true);
  await page.getByTestId('show-archived').check();
  await expectRows(ALL());
  await page.locator(`[data-testid=run-row-${ids.gamma}].is-archived`).waitFor();
  await page.getByTestId('bulk-unarchive').click();
  await page.getByTestId('show-archived').uncheck();
  await expectRows(ALL());
  assert.equal((await call('getRun', { runId: ids.gamma })).archived, false);
  await page.getByRole('button', { name: 'Clear selection' }).click();
});

test('the compare view overlays two runs; smoothing, log scale, x axis and zoom change the chart', async () => {
  await openRunsTable();
  await page.getByTestId(`row-select-${ids.alpha}`).check();
  await page.getByTestId(`row-select-${ids.beta}`).check();
  await page.getByTestId('compare-selected').click();
  await page.waitForURL(new RegExp(`#/compare/${ids.alpha},${ids.beta}$`));

  const lines = '[data-testid=compare-chart] path.curve-line';
  const raw = '[data-testid=compare-chart] path.curve-raw';
  await page.locator(lines).nth(1).waitFor();
  assert.equal(await page.locator(lines).count(), 2);
  assert.equal(await page.locator(raw).count(), 2, 'smoothed by default, with the raw curves behind');
  assert.match((await page.getByTestId('compare-chart-legend').textContent()) ?? '', /alpha renamed.*beta #1/);

  // Hover: one read-out row per run.
  const box = (await page.locator('[data-testid=compare-chart] .hover-layer').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + 80, { steps: 4 });
  await page.getByTestId('curve-readout').waitFor();
  assert.equal(await page.locator('[data-testid=curve-readout] tr[data-series]').count(), 2);

  // Smoothing 0: the lines change and the raw copies go.
  const smoothed = await pathsOf(lines);
  await page.getByTestId('smoothing').fill('0');
  await page.locator(raw).first().waitFor({ state: 'detached' });
  assert.notDeepEqual(await pathsOf(lines), smoothed);
  await page.getByTestId('smoothing').fill('0.9');
  await page.locator(raw).nth(1).waitFor();

  // Log scale off: the y axis changes.
  const yTicks = () => page.locator('[data-testid=compare-chart] .recharts-yAxis-tick-labels text').allTextContents();
  const logTicks = await yTicks();
  await page.getByTestId('compare-log-toggle').uncheck();
  await waitFor('the y axis to leave the log scale', async () => JSON.stringify(await yTicks()) !== JSON.stringify(logTicks));
  await page.getByTestId('compare-log-toggle').check();

  // Zoom by range: the store is asked again, for that range.
  const zoomRequest = page.waitForRequest((r) => r.url().endsWith('/api/getCurves') && (r.postDataJSON() as { fromStep?: number }).fromStep !== undefined);
  await page.getByTestId('zoom-from').fill('40');
  await page.getByTestId('zoom-to').fill('100');
  await page.getByTestId('zoom-apply').click();
  const zoomArgs = (await zoomRequest).postDataJSON() as { fromStep: number; toStep: number };
  assert.ok(zoomArgs.fromStep <= 40 && zoomArgs.fromStep >= 30 && zoomArgs.toStep >= 100 && zoomArgs.toStep <= 110, JSON.stringify(zoomArgs));
  await waitForText(page.getByTestId('zoom-status'), /Zoomed to 40 – 100/);
  const xTicks = await page.locator('[data-testid=compare-chart] .recharts-xAxis-tick-labels text').allTextContents();
  assert.ok(xTicks.every((t) => Number(t.replace(/,/g, '')) >= 40 && Number(t.replace(/,/g, '')) <= 100), xTicks.join(' '));
  // Drag to zoom further in.
  const dragRequest = page.waitForRequest((r) => r.url().endsWith('/api/getCurves') && (r.postDataJSON() as { fromStep?: number }).fromStep !== undefined);
  await page.mouse.move(box.x + box.width * 0.3, box.y + 150);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + 150, { steps: 5 });
  await page.mouse.up();
  await dragRequest;
  await page.getByTestId('zoom-reset').click();
  await waitForText(page.getByTestId('zoom-status'), /Drag across the chart/);

  // Relative time on x.
  await page.locator('label:has([data-testid=x-mode-relative])').click();
  await waitForText(page.locator('[data-testid=compare-chart] .recharts-label'), /time since start/);
  await page.locator('label:has([data-testid=x-mode-step])').click();

  // Per-level losses, one small chart per level.
  assert.equal(await page.locator('[data-testid=level-grid] .curve-chart').count(), 10);

  // Galleries: each run's samples drawn over its data, with their count.
  for (const id of [ids.alpha, ids.beta]) {
    await page.locator(`[data-testid=gallery-${id}] canvas[data-drawn="100"]`).waitFor();
    assert.equal(await page.getByTestId(`gallery-count-${id}`).textContent(), '100');
  }
  // Schedules and the config diff: only what differs.
  await page.locator('[data-testid=schedule-chart] path.recharts-line-curve').first().waitFor();
  const fields = await page.locator('[data-testid=config-diff] tr[data-field]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
  assert.deepEqual(fields, ['seed', 'train.lr']);
  await screenshotMain('compare.png');
});

test('metrics export as CSV and a chart as PNG', async () => {
  const csv = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csvPath = join(suite.dir, 'metrics.csv');
  await (await csv).saveAs(csvPath);
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'run_id,run_name,key,step,time,value');
  const runsInCsv = new Set(lines.slice(1).map((l) => Number(l.split(',')[0])));
  assert.deepEqual([...runsInCsv].sort(), [ids.alpha, ids.beta].sort());
  assert.ok(lines.some((l) => l.includes(',loss/level/9,')));

  const png = page.waitForEvent('download');
  await page.getByTestId('loss-png').click();
  const pngPath = join(suite.dir, 'loss.png');
  await (await png).saveAs(pngPath);
  assert.deepEqual([...readFileSync(pngPath).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('a run exported as a bundle and imported again is a new run with the same curve; a damaged bundle is refused', async () => {
  await page.goto(`${suite.app.url}#/run/${ids.beta}`);
  await page.getByTestId('run-status').waitFor();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-bundle').click();
  const bundlePath = join(suite.dir, 'beta.scorebench-run.json');
  await (await download).saveAs(bundlePath);

  await openRunsTable();
  await page.getByTestId('import-bundle').setInputFiles(bundlePath);
  await page.getByTestId('import-done').waitFor();
  const runs = await call('listRuns', {});
  const imported = runs[0];
  assert.equal(runs.length, 6);
  assert.equal(imported.name, 'beta #1');
  assert.deepEqual(imported.tags, ['baseline']);
  const curves = await call('getCurves', { runIds: [ids.beta, imported.id], keys: ['loss', 'loss/level/3'], maxPoints: 100_000 });
  assert.deepEqual(curves[2].points, curves[0].points);
  assert.deepEqual(curves[3].points, curves[1].points);

  // Overlaid, the imported curve is drawn exactly over the original.
  await page.goto(`${suite.app.url}#/compare/${ids.beta},${imported.id}`);
  const lines = '[data-testid=compare-chart] path.curve-line';
  await page.locator(lines).nth(1).waitFor();
  const [original, copy] = await pathsOf(lines);
  assert.equal(copy, original);

  // A truncated file: refused, with the field named, and nothing imported.
  const text = readFileSync(bundlePath, 'utf8');
  const truncated = join(suite.dir, 'truncated.scorebench-run.json');
  writeFileSync(truncated, text.slice(0, Math.floor(text.length * 0.7)));
  await openRunsTable();
  await page.getByTestId('import-bundle').setInputFiles(truncated);
  await waitForText(page.locator('.callout-error'), /bundle.*truncated/);
  assert.equal((await call('listRuns', {})).length, 6);
});

test('deleting asks first, and then removes the run for good', async () => {
  await openRunsTable();
  const imported = (await call('listRuns', {}))[0] as RunSummary;
  await page.getByTestId(`row-select-${imported.id}`).check();
  await page.getByTestId('bulk-delete').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  assert.equal((await call('listRuns', {})).length, 6);

  await page.getByTestId('bulk-delete').click();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId(`run-row-${imported.id}`).waitFor({ state: 'detached' });
  await assert.rejects(call('getRun', { runId: imported.id }), /does not exist/);
  assert.equal((await call('listRuns', {})).length, 5);
});

test("a run's config is cloned into the new-experiment form; notes are saved; the dark theme applies", async () => {
  await page.goto(`${suite.app.url}#/run/${ids.beta}`);
  await page.getByTestId('run-notes').fill('lr 4e-3 looks best so far');
  await page.getByTestId('save-notes').click();
  await page.getByTestId('save-notes').waitFor({ state: 'detached' });
  assert.equal((await call('getRun', { runId: ids.beta })).notes, 'lr 4e-3 looks best so far');
  await screenshotMain('run-page-meta.png');

  await page.getByTestId('clone-config').click();
  await page.waitForURL(new RegExp(`#/new/from/${ids.beta}$`));
  await waitForText(page.getByTestId('new-source'), /run #\d+ beta #1/);
  await waitFor('the clone to be named', async () => (await page.getByTestId('experiment-name').inputValue()) === 'beta #1 (clone)');
  const config = JSON.parse(await page.getByTestId('config-editor').inputValue()) as { train: { lr: number }; seed: number };
  assert.equal(config.train.lr, 0.004);
  assert.equal(config.seed, 2);

  await page.goto(`${suite.app.url}#/compare/${ids.alpha},${ids.beta},${ids.gamma},${ids.ring}`);
  await page.locator('[data-testid=compare-chart] path.curve-line').nth(3).waitFor();
  await page.getByTestId('theme-toggle').click();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  await page.locator(`[data-testid=gallery-${ids.ring}] canvas[data-drawn="100"]`).waitFor();
  await screenshotMain('compare-dark.png');
  await page.getByTestId('theme-toggle').click();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');
  assert.deepEqual(errors, []);
});
