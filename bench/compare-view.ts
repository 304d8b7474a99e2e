/**
 * How fast the compare view is with long curves; not a test (nothing here asserts a time).
 *
 *   npx electron-vite build && node --import tsx bench/compare-view.ts [runs=20] [points=100000]
 *
 * Fills a temporary store, through the store's appendMetrics, with `runs` finished runs of
 * `points` logged steps each (synthetic noisy decays with a spike, plus ten per-level curves at a
 * tenth of the points, a schedule, training data and a sample set, so every panel has something
 * to draw). Then it reports:
 *   - the curve query: store.getCurve per curve, and the getCurves API call over HTTP for all runs,
 *     whole and zoomed;
 *   - in Debian's Chromium (browser mode): the time from opening the compare view to drawn charts
 *     (every loss line, every per-level chart, every gallery and the schedule chart in the DOM),
 *     both as a fresh page load and as an in-app navigation from the runs table;
 *   - the runs table with 1,000 runs: load to first rows, and a search keystroke to re-filtered rows.
 *
 * BENCH_DB=<file> keeps the filled database there and reuses it on the next run (filled only when
 * the file does not exist yet), for profiling the view without refilling.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ApiCalls, ApiMethod } from '../src-shared/api';
import { requireExperimentConfig } from '../src-shared/config';
import { TOKEN_HEADER, TOKEN_QUERY } from '../src-shared/transport';
import type { MetricPoint } from '../src-main/engine/types';
import { openSqliteStore, type Store } from '../src-main/store';
import { launchChromium, startBrowserMode } from '../test/support/browser-mode';

const RUNS = Number(process.argv[2] ?? 20);
const POINTS = Number(process.argv[3] ?? 100_000);
const LEVELS = 10;
const REPEATS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

/** Deterministic noise in [−0.5, 0.5). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
}

async function fillRun(store: Store, experimentId: number, index: number): Promise<number> {
  const run = await store.createRun(experimentId);
  const noise = lcg(index + 1);
  const batch = 10_000;
  for (let from = 0; from < POINTS; from += batch) {
    const points: MetricPoint[] = [];
    for (let step = from; step < Math.min(POINTS, from + batch); step++) {
      const t = step / POINTS;
      const value = (1 + index * 0.05) * (0.3 + 2 / (1 + 40 * t)) * (1 + 0.15 * noise()) + (step === 61_803 % POINTS ? 5 : 0);
      points.push({ key: 'loss', step, time: step * 0.004, value });
      if (step % 10 === 0)
        for (let level = 0; level < LEVELS; level++)
          points.push({ key: `loss/level/${level}`, step, time: step * 0.004, value: value * (0.5 + level / LEVELS) * (1 + 0.1 * noise()) });
    }
    await store.appendMetrics(run.id, points);
  }
  const sigmas = Array.from({ length: LEVELS }, (_, i) => 10 * (0.05 / 10) ** (i / (LEVELS - 1)));
  await store.saveSchedule(
    run.id,
    sigmas.map((sigma, level) => ({ level, sigma, alpha: 2.5e-4 * (sigma / 0.05) ** 2, weight: sigma ** 2 })),
  );
  const data: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const [mx, my] = [[4, 4], [-4, 4], [0, -4]][i % 3];
    data.push(mx + 1.4 * noise(), my + 1.4 * noise());
  }
  await store.saveTrainingData(run.id, { n: 2000, dim: 2, points: data });
  const samples = data.slice(0, 2000).map((v) => v + 0.8 * noise());
  await store.saveSampleSet({ runId: run.id, label: 'final', n: 1000, dim: 2, points: samples, metrics: { n: 1000, modeShareError: 0.05 } });
  const started = new Date(Date.now() - 3600_000).toISOString();
  await store.updateRun(run.id, {
    status: 'completed',
    startedAt: started,
    finishedAt: new Date(Date.parse(started) + POINTS * 4).toISOString(),
    steps: POINTS - 1,
    finalLoss: 0.3,
    trainSeconds: POINTS * 0.004,
  });
  return run.id;
}

/**
 * Resolves, in the page, once every chart of the compare view is in the DOM and drawn: each loss
 * line with its path, every per-level line, every gallery canvas with its samples, the schedule's
 * lines. Returns the page's performance.now() at the frame the main loss chart was complete, and
 * at the frame everything was. A string, so the page gets the code exactly as written here.
 */
function whenDrawn(page: Page, runs: number): Promise<{ main: number; all: number }> {
  const script = `new Promise((resolve) => {
    let main = null;
    const mainReady = () => {
      const lines = [...document.querySelectorAll('[data-testid=compare-chart] path.curve-line')];
      return lines.length === ${runs} && lines.every((l) => (l.getAttribute('d') || '').length > 100);
    };
    const allReady = () =>
      document.querySelectorAll('[data-testid=level-grid] path.curve-line').length === ${runs * LEVELS}
      && document.querySelectorAll('[data-testid=sample-gallery] canvas[data-drawn="1000"]').length === ${runs}
      && document.querySelectorAll('[data-testid=schedule-chart] path.recharts-line-curve').length === ${runs * 3};
    const poll = () => {
      if (main === null && mainReady()) main = performance.now();
      if (main !== null && allReady()) resolve({ main, all: performance.now() });
      else requestAnimationFrame(poll);
    };
    poll();
  })`;
  return page.evaluate(script) as Promise<{ main: number; all: number }>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scorebench-bench-compare-'));
  try {
    const db = process.env.BENCH_DB ?? join(dir, 'bench.sqlite');
    const reuse = existsSync(db);
    const store = await openSqliteStore(db);
    let runIds: number[];
    if (reuse) runIds = (await store.listRuns()).map((r) => r.id).sort((a, b) => a - b);
    else {
      const experiment = await store.createExperiment('bench', requireExperimentConfig({}));
      const [fillMs, ids] = await timeIt(async () => {
        const filled: number[] = [];
        for (let i = 0; i < RUNS; i++) filled.push(await fillRun(store, experiment.id, i));
        return filled;
      });
      runIds = ids;
      console.log(
        `store: ${RUNS} runs × ${POINTS.toLocaleString('en-US')} loss points (+ ${LEVELS} level curves × ${(POINTS / 10).toLocaleString('en-US')}) ` +
          `appended in ${(fillMs / 1000).toFixed(1)} s`,
      );
    }

    const perCurve: number[] = [];
    for (let r = 0; r < REPEATS; r++) for (const id of runIds) perCurve.push((await timeIt(() => store.getCurve(id, 'loss', 2000)))[0]);
    const zoomCurve: number[] = [];
    for (let r = 0; r < REPEATS; r++)
      for (const id of runIds) zoomCurve.push((await timeIt(() => store.getCurve(id, 'loss', 2000, { fromStep: 20_017, toStep: 20_017 + POINTS / 5 })))[0]);
    const full = await store.getCurve(runIds[0], 'loss', Infinity);
    console.log(`store.getCurve, one 10⁵-point curve to ≤ 2000 points: median ${ms(median(perCurve))}`);
    console.log(`store.getCurve, a zoomed fifth of it (range query): median ${ms(median(zoomCurve))}`);
    console.log(`(every point of one curve, for comparison: ${full.length.toLocaleString('en-US')} points)`);
    await store.close();

    const app = await startBrowserMode(db);
    const browser = await launchChromium();
    try {
      const url = new URL(app.url);
      const call = async <K extends ApiMethod>(method: K, args: ApiCalls[K]['args']) => {
        const res = await fetch(new URL(`/api/${method}`, url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: url.searchParams.get(TOKEN_QUERY)! },
          body: JSON.stringify(args),
        });
        return (await res.json()) as { ok: boolean; result: ApiCalls[K]['result'] };
      };
      const api: number[] = [];
      const apiZoom: number[] = [];
      const apiLevels: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        api.push((await timeIt(() => call('getCurves', { runIds, keys: ['loss'], maxPoints: 2000 })))[0]);
        apiZoom.push((await timeIt(() => call('getCurves', { runIds, keys: ['loss'], maxPoints: 2000, fromStep: 20_017, toStep: 40_017 })))[0]);
        const levelKeys = Array.from({ length: LEVELS }, (_, i) => `loss/level/${i}`);
        apiLevels.push((await timeIt(() => call('getCurves', { runIds, keys: levelKeys, maxPoints: 240 })))[0]);
      }
      console.log(`getCurves over HTTP, ${RUNS} runs' loss at maxPoints 2000: median ${ms(median(api))}`);
      console.log(`getCurves over HTTP, the same zoomed to 20,000 steps: median ${ms(median(apiZoom))}`);
      console.log(`getCurves over HTTP, ${RUNS} runs × ${LEVELS} level curves at maxPoints 240 (as the view asks): median ${ms(median(apiLevels))}`);

      const page = await browser.newPage({ viewport: { width: 1440, height: 2400 } });
      const compareHash = `#/compare/${runIds.join(',')}`;
      const cold = { main: [] as number[], all: [] as number[] };
      const warm = { main: [] as number[], all: [] as number[] };
      for (let r = 0; r < REPEATS; r++) {
        // Fresh page load straight into the compare view: from navigation start.
        await page.goto('about:blank');
        await page.goto(`${app.url}${compareHash}`);
        const c = await whenDrawn(page, RUNS);
        cold.main.push(c.main);
        cold.all.push(c.all);
        // In the app: from the runs table, the hash changes to the compare view.
        await page.goto(`${app.url}#/runs`);
        await page.reload();
        await page.locator('[data-testid=runs-table] tr.run-row').first().waitFor();
        const t0 = (await page.evaluate(`(() => { const now = performance.now(); location.hash = ${JSON.stringify(compareHash)}; return now; })()`)) as number;
        const w = await whenDrawn(page, RUNS);
        warm.main.push(w.main - t0);
        warm.all.push(w.all - t0);
      }
      const runsOf = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
      console.log(`compare view, ${RUNS} runs, page load → loss chart drawn: median ${ms(median(cold.main))} (${runsOf(cold.main)})`);
      console.log(`compare view, ${RUNS} runs, page load → every chart drawn: median ${ms(median(cold.all))} (${runsOf(cold.all)})`);
      console.log(`compare view, ${RUNS} runs, in-app navigation → loss chart drawn: median ${ms(median(warm.main))} (${runsOf(warm.main)})`);
      console.log(`compare view, ${RUNS} runs, in-app navigation → every chart drawn: median ${ms(median(warm.all))} (${runsOf(warm.all)})`);
      await page.close();
    } finally {
      await browser.close();
      await app.stop();
    }

    await benchRunsTable(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The runs table with 1,000 runs: first rows drawn after a page load, and one search keystroke. */
async function benchRunsTable(dir: string): Promise<void> {
  const db = join(dir, 'many.sqlite');
  const store = await openSqliteStore(db);
  const count = 1000;
  for (let i = 0; i < count; i++) {
    const experiment = await store.createExperiment(`sweep ${i % 37}`, requireExperimentConfig({ seed: i, train: { lr: 0.001 * (1 + (i % 10)) } }));
    const run = await store.createRun(experiment.id);
    await store.updateRun(run.id, { status: i % 17 === 0 ? 'failed' : 'completed', finalLoss: 0.2 + (i % 101) / 100, steps: 2000, tags: i % 5 ? [] : ['sweep'] });
  }
  await store.close();
  const app = await startBrowserMode(db);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const loads: number[] = [];
    const searches: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      await page.goto('about:blank');
      await page.goto(`${app.url}#/runs`);
      await page.locator('[data-testid=runs-table] tr.run-row').first().waitFor();
      loads.push((await page.evaluate('performance.now()')) as number);
      await page.getByTestId('runs-search').fill('');
      const t0 = (await page.evaluate('performance.now()')) as number;
      await page.getByTestId('runs-search').fill('lr=0.003');
      await page.getByTestId('runs-count').filter({ hasText: 'of 1,000 runs' }).waitFor();
      searches.push(((await page.evaluate('performance.now()')) as number) - t0);
    }
    const rendered = await page.locator('[data-testid=runs-table] tr.run-row').count();
    console.log(
      `runs table, ${count} runs: page load → rows drawn median ${ms(median(loads))}; search "lr=0.003" → re-filtered rows ` +
        `median ${ms(median(searches))} (incl. Playwright round trips); ${rendered} rows in the DOM (windowed)`,
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
