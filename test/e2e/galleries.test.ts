/**
 * The sample galleries in browser mode, against runs the engine trained (through the CLI): the
 * shared checkpoint slider (samples drawn on demand, with a progress indicator), trajectory
 * playback, the score field's arrows (compare view and run page), and image samples drawn as a
 * grid. Screenshots land in test-results/.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  browserModeSuite,
  callApi,
  openPage,
  screenshotMain as screenshotMainOf,
  waitForText,
} from '../support/browser-mode';
import { TINY_CONFIG } from '../support/fixtures';
import { seedDatabase } from '../support/seed';

let page: Page;
const errors: string[] = [];
const ids: Record<string, number> = {};

/** 150 steps with a checkpoint every 50 (weights kept at 50, 100, 150), and a 12-frame trajectory of 100 chains. */
const BASE = {
  ...TINY_CONFIG,
  train: { steps: 150, batchSize: 64, logEvery: 5, lr: 0.002, checkpointEvery: 50 },
  sampler: { kind: 'annealed-langevin' as const, n: 100, stepsPerLevel: 5, trajectory: { chains: 100, frames: 12 } },
};

const suite = browserModeSuite('galleries.sqlite', {
  prepare: async (dir, dbPath) => {
    // 48 tiny "digits" of 28 × 28 pixels: a vertical bar at a column that moves from image to image.
    const rows = Array.from({ length: 48 }, (_, k) =>
      Array.from({ length: 784 }, (_, p) => (p % 28 === 4 + (k % 20) || p % 28 === 5 + (k % 20) ? 1 : 0)).join(','),
    );
    writeFileSync(join(dir, 'digits.csv'), `${rows.join('\n')}\n`);
    const seeded = await seedDatabase(dir, dbPath, [
      { name: 'alpha', config: { ...BASE, seed: 1 } },
      { name: 'beta', config: { ...BASE, seed: 2, train: { ...BASE.train, lr: 0.004 } } },
      {
        name: 'digits',
        config: {
          ...BASE,
          seed: 3,
          data: { kind: 'csv', path: join(dir, 'digits.csv') },
          train: { ...BASE.train, steps: 40, batchSize: 16, checkpointEvery: 20 },
          sampler: { kind: 'annealed-langevin', n: 16, stepsPerLevel: 3 },
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
    page = await openPage(browser, { viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (err) => errors.push(err.message));
  },
});

const screenshotMain = (name: string) => screenshotMainOf(page, name);

/** The pixels a gallery's canvas shows, as a data URL (to see that the drawing changed). */
const canvasPixels = (runId: number) => page.locator(`[data-testid=gallery-${runId}] canvas`).evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());

/** Waits until the run's gallery card shows the set `label`, drawn with `n` points. */
async function galleryShows(runId: number, label: string, n: number): Promise<void> {
  await page.locator(`[data-testid=gallery-${runId}][data-showing="${label}"] canvas[data-label="${label}"][data-drawn="${n}"]`).waitFor();
}

test('the checkpoint slider moves every gallery to that step, sampling on demand with a progress indicator', async () => {
  await page.goto(`${suite.app.url}#/compare/${ids.alpha},${ids.beta}`);
  await page.locator(`[data-testid=gallery-${ids.alpha}] canvas[data-drawn="100"]`).waitFor();
  const final = await canvasPixels(ids.alpha);
  assert.deepEqual(await callApi(suite.app, 'listCheckpointSteps', { runId: ids.alpha }), [50, 100, 150]);
  const labelsBefore = (await callApi(suite.app, 'listSampleSets', { runId: ids.alpha })).map((s) => s.label);
  assert.ok(!labelsBefore.some((l) => l.startsWith('checkpoint/')), 'no checkpoint samples before the slider asks');

  // Record whether a sampling progress indicator ever shows (sampling a tiny model takes a blink).
  // (A script string: this file is type-checked without the DOM's types.)
  await page.evaluate(`(() => {
    window.sawSampling = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid^=gallery-sampling-]')) window.sawSampling = true;
    }).observe(document.body, { subtree: true, childList: true });
  })()`);
  await page.getByTestId('gallery-mode-checkpoint').check();
  await waitForText(page.getByTestId('checkpoint-label'), /step 150 \(3 of 3 checkpoints\)/);
  await galleryShows(ids.alpha, 'checkpoint/150', 100);
  await galleryShows(ids.beta, 'checkpoint/150', 100);
  assert.equal(await page.evaluate('window.sawSampling'), true, 'a sampling indicator was shown');

  await page.getByTestId('checkpoint-slider').fill('0');
  await waitForText(page.getByTestId('checkpoint-label'), /step 50 \(1 of 3/);
  await galleryShows(ids.alpha, 'checkpoint/50', 100);
  await galleryShows(ids.beta, 'checkpoint/50', 100);
  await waitForText(page.getByTestId(`gallery-pick-${ids.alpha}`), /step 50/);
  const early = await canvasPixels(ids.alpha);
  assert.notEqual(early, final, 'the gallery changed with the checkpoint');
  const stored = (await callApi(suite.app, 'listSampleSets', { runId: ids.alpha })).map((s) => s.label);
  assert.ok(stored.includes('checkpoint/50') && stored.includes('checkpoint/150'), stored.join(' '));
  await screenshotMain('gallery-checkpoint.png');

  // Back to step 150: the stored set comes back as it was drawn before.
  await page.getByTestId('checkpoint-slider').fill('2');
  await galleryShows(ids.alpha, 'checkpoint/150', 100);
  assert.notEqual(await canvasPixels(ids.alpha), early);
});

test('the trajectory scrubber shows each frame with its noise level, and play runs to the last frame', async () => {
  await page.getByTestId('gallery-mode-trajectory').check();
  await waitForText(page.getByTestId('compare-trajectory-label'), /frame 1 \/ 12 · σ = /);
  await galleryShows(ids.alpha, 'trajectory/0', 100);
  const first = await page.getByTestId('compare-trajectory-label').textContent();
  const start = await canvasPixels(ids.alpha);

  await page.getByTestId('compare-trajectory-slider').fill('6');
  await galleryShows(ids.alpha, 'trajectory/6', 100);
  await galleryShows(ids.beta, 'trajectory/6', 100);
  const middle = await page.getByTestId('compare-trajectory-label').textContent();
  assert.notEqual(middle, first, 'σ and step change with the frame');
  assert.notEqual(await canvasPixels(ids.alpha), start);

  await page.getByTestId('compare-trajectory-slider').fill('0');
  await galleryShows(ids.alpha, 'trajectory/0', 100);
  // Play alone moves the gallery from the first frame to the last. (Its "Pause" label is not
  // checked: on a fast machine playback may have ended by the time the test looks.)
  await page.getByTestId('compare-trajectory-play').click();
  await galleryShows(ids.alpha, 'trajectory/11', 100);
  await waitForText(page.getByTestId('compare-trajectory-play'), /^Play$/);
  await waitForText(page.getByTestId('compare-trajectory-label'), /frame 12 \/ 12/);
  await screenshotMain('gallery-trajectory.png');
});

test('the score field draws the learned arrows beside the true ones over the density, per run and level', async () => {
  await page.getByTestId('gallery-mode-final').check();
  await page.getByTestId('compare-score-toggle').check();
  for (const id of [ids.alpha, ids.beta]) {
    // 20 × 20 arrows: every grid point has a non-zero score.
    await page.locator(`[data-testid=score-field-${id}] [data-testid=score-field-learned][data-arrows="400"]`).waitFor();
    await page.locator(`[data-testid=score-field-${id}] [data-testid=score-field-true][data-arrows="400"]`).waitFor();
  }
  const fieldAt = (level: number) => page.locator(`[data-testid=score-field-${ids.alpha}][data-level="${level}"]`);
  await fieldAt(9).waitFor();
  await page.getByTestId('compare-score-level').selectOption('2');
  await fieldAt(2).locator('[data-testid=score-field-learned][data-arrows="400"]').waitFor();
  await screenshotMain('gallery-score-field.png');
});

test('the run page plays the trajectory and opens the score field', async () => {
  await page.goto(`${suite.app.url}#/run/${ids.alpha}`);
  await waitForText(page.getByTestId('trajectory-label'), /frame 1 \/ 12 · σ = /);
  await page.locator('[data-testid=trajectory-player] canvas[data-label="trajectory/0"][data-drawn="100"]').waitFor();
  await page.getByTestId('trajectory-slider').fill('11');
  await page.locator('[data-testid=trajectory-player] canvas[data-label="trajectory/11"][data-drawn="100"]').waitFor();
  await page.getByTestId('trajectory-slider').fill('3');
  await page.getByTestId('trajectory-play').click();
  await page.locator('[data-testid=trajectory-player] canvas[data-label="trajectory/11"]').waitFor();

  await page.getByTestId('score-field-level').selectOption('5');
  await page.getByTestId('score-field-open').click();
  await page.locator(`[data-testid=score-field-${ids.alpha}][data-level="5"] [data-testid=score-field-learned][data-arrows="400"]`).waitFor();
  await page.locator('[data-testid=score-field-true][data-arrows="400"]').waitFor();
  // The weights of an earlier checkpoint: another learned field (the true one stays).
  const learnedAt = () => page.locator('[data-testid=score-field-learned]').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());
  const last = await learnedAt();
  await page.getByTestId('score-field-step').selectOption('50');
  await waitForText(page.locator('.score-field-figure figcaption').first(), /step 50/);
  assert.notEqual(await learnedAt(), last);
  await screenshotMain('run-page-trajectory-score.png');
});

test('image samples (784 dimensions) are drawn as a grid of 28 × 28 tiles, also at a checkpoint', async () => {
  await page.goto(`${suite.app.url}#/run/${ids.digits}`);
  await page.locator('[data-testid=image-grid][data-label="final"][data-drawn="16"]').waitFor();
  const size = await page.locator('[data-testid=image-grid]').first().evaluate((c) => {
    const canvas = c as unknown as { width: number; height: number };
    return [canvas.width, canvas.height];
  });
  assert.deepEqual(size, [4 * 30 - 2, 4 * 30 - 2], '4 × 4 tiles of 28 pixels, 2 apart');
  assert.equal(await page.getByTestId('score-field-card').count(), 0, 'no score field for 784-D data');
  assert.equal(await page.getByTestId('stat-mode-share-error').count(), 0, 'data without modes has no mode-share error');

  await page.goto(`${suite.app.url}#/compare/${ids.digits},${ids.alpha}`);
  await page.locator(`[data-testid=gallery-${ids.digits}] [data-testid=image-grid][data-drawn="16"]`).waitFor();
  await page.locator(`[data-testid=gallery-${ids.alpha}] canvas.density-canvas[data-drawn="100"]`).waitFor();
  await page.getByTestId('gallery-mode-checkpoint').check();
  await page.getByTestId('checkpoint-slider').fill('0');
  await waitForText(page.getByTestId('checkpoint-label'), /step 20 \(1 of 5/);
  await page.locator(`[data-testid=gallery-${ids.digits}][data-showing="checkpoint/20"] [data-testid=image-grid][data-label="checkpoint/20"][data-drawn="16"]`).waitFor();
  assert.equal(await page.getByTestId(`gallery-outside-${ids.digits}`).count(), 0, 'images are not points: none lie outside the view');
  // Score fields only for the 2-D run.
  await page.getByTestId('compare-score-toggle').check();
  await page.locator(`[data-testid=score-field-${ids.alpha}] [data-testid=score-field-learned][data-arrows="400"]`).waitFor();
  assert.equal(await page.locator(`[data-testid=score-field-${ids.digits}]`).count(), 0);
  await screenshotMain('gallery-images.png');
  assert.deepEqual(errors, []);
});
