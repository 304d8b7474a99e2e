/**
 * The 2-D toy datasets: each is drawn from the run's data stream (so a seed repeats it exactly),
 * has the shape its config asks for, and, drawn without noise, lies exactly on the geometry its
 * formula defines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExperimentConfig, TOY_DATA_KINDS, type DataConfig } from '../../../../src-shared/config';
import { loadDataset } from '../../../../src-main/engine/data';
import { MOON_CENTRES } from '../../../../src-main/engine/data/toys/two-moons';
import { PINWHEEL_RADIUS } from '../../../../src-main/engine/data/toys/pinwheel';
import { SPIRALS_SCALE, SPIRALS_T_MAX } from '../../../../src-main/engine/data/toys/spirals';
import { SWISS_ROLL_SCALE, SWISS_ROLL_T } from '../../../../src-main/engine/data/toys/swiss-roll';
import { createRng } from '../../../../src-main/engine/random';

/** The data section as the config schema fills it in (defaults included). */
function dataConfig(data: Record<string, unknown>): DataConfig {
  const parsed = parseExperimentConfig({ data, train: { batchSize: 8 } });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.config.data;
}

function load(data: Record<string, unknown>, seed = 0) {
  return loadDataset(dataConfig(data), { rng: createRng(seed, 'data'), baseDir: '.' });
}

/** |a − b| on the circle, in [0, π]. */
function angleGap(a: number, b: number): number {
  return Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));
}

function rows(points: Float32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i += 2) out.push([points[i], points[i + 1]]);
  return out;
}

for (const kind of TOY_DATA_KINDS) {
  test(`${kind}: n points in 2-D, the same for the same seed, others for another seed`, async () => {
    const a = await load({ kind, n: 300 }, 7);
    assert.equal(a.n, 300);
    assert.equal(a.dim, 2);
    assert.equal(a.points.length, 600);
    assert.ok(a.points.every(Number.isFinite));
    assert.deepEqual((await load({ kind, n: 300 }, 7)).points, a.points);
    assert.notDeepEqual((await load({ kind, n: 300 }, 8)).points, a.points);
    // Held-out draws come from the same generator, as many as asked, from the stream they are given.
    const fresh = a.draw!(50, createRng(1, 'reference'));
    assert.equal(fresh.length, 100);
    assert.deepEqual(a.draw!(50, createRng(1, 'reference')), fresh);
  });
}

test('two moons without noise: every point is at distance 1 from its moon’s centre, on its half', async () => {
  const data = await load({ kind: 'two-moons', n: 2000, noise: 0 });
  const counts = [0, 0];
  for (const [x, y] of rows(data.points)) {
    const [upper, lower] = MOON_CENTRES.map(([cx, cy]) => Math.hypot(x - cx, y - cy));
    if (Math.abs(upper - 1) < 1e-6 && y >= 0) counts[0]++;
    else if (Math.abs(lower - 1) < 1e-6 && y <= 0.5 + 1e-7) counts[1]++;
    else assert.fail(`(${x}, ${y}) lies on neither moon`);
  }
  // Each moon is picked with probability ½: 4 binomial standard deviations (√(n/4) ≈ 22).
  assert.ok(Math.abs(counts[0] - 1000) < 4 * Math.sqrt(2000 / 4), `moon counts ${counts}`);
});

test('swiss roll without noise: a point at radius r lies at angle r/scale, r/scale in [1.5π, 4.5π]', async () => {
  const data = await load({ kind: 'swiss-roll', n: 2000, noise: 0 });
  for (const [x, y] of rows(data.points)) {
    const t = Math.hypot(x, y) / SWISS_ROLL_SCALE;
    assert.ok(t >= SWISS_ROLL_T[0] - 1e-5 && t <= SWISS_ROLL_T[1] + 1e-5, `t = ${t}`);
    assert.ok(angleGap(Math.atan2(y, x), t) < 1e-5, `(${x}, ${y}): angle ${Math.atan2(y, x)} for t = ${t}`);
  }
});

test('rings without noise: every radius is one of the radii, each ring drawn in proportion to its radius', async () => {
  const radii = [0.5, 1.5, 3];
  const data = await load({ kind: 'rings', n: 4000, radii, noise: 0 });
  const counts = radii.map(() => 0);
  for (const [x, y] of rows(data.points)) {
    const r = Math.hypot(x, y);
    const k = radii.findIndex((radius) => Math.abs(r - radius) < 1e-6 * radius);
    assert.ok(k >= 0, `radius ${r} is none of ${radii}`);
    counts[k]++;
  }
  const total = radii.reduce((a, b) => a + b, 0);
  radii.forEach((radius, k) => {
    const p = radius / total;
    const sd = Math.sqrt(4000 * p * (1 - p));
    assert.ok(Math.abs(counts[k] - 4000 * p) < 4 * sd, `ring ${k}: ${counts[k]} points, expected ${4000 * p} ± ${4 * sd}`);
  });
});

test('checkerboard: points fall only in the squares with (column + row) even, and every such square is used', async () => {
  for (const [cells, scale] of [
    [4, 1],
    [5, 0.5],
  ]) {
    const data = await load({ kind: 'checkerboard', n: 3000, cells, scale });
    const counts = new Map<string, number>();
    const origin = (-cells * scale) / 2;
    for (const [x, y] of rows(data.points)) {
      const i = Math.floor((x - origin) / scale);
      const j = Math.floor((y - origin) / scale);
      assert.ok(i >= 0 && i < cells && j >= 0 && j < cells, `(${x}, ${y}) is off the ${cells}×${cells} board`);
      assert.equal((i + j) % 2, 0, `(${x}, ${y}) is in the empty square (${i}, ${j})`);
      counts.set(`${i},${j}`, (counts.get(`${i},${j}`) ?? 0) + 1);
    }
    assert.equal(counts.size, Math.ceil((cells * cells) / 2), `filled squares of a ${cells}×${cells} board`);
  }
});

test('spirals without noise: a point at radius r lies at angle r/scale + 2πk/arms for its arm k, every arm used', async () => {
  const arms = 3;
  const data = await load({ kind: 'spirals', n: 2000, arms, noise: 0 });
  const used = new Set<number>();
  for (const [x, y] of rows(data.points)) {
    const t = Math.hypot(x, y) / SPIRALS_SCALE;
    assert.ok(t <= SPIRALS_T_MAX + 1e-5, `t = ${t}`);
    if (t < 1e-3) continue; // at the centre the angle is undefined
    const k = [...Array(arms).keys()].find((a) => angleGap(Math.atan2(y, x), t + (2 * Math.PI * a) / arms) < 1e-4);
    assert.ok(k !== undefined, `(${x}, ${y}) is on no arm`);
    used.add(k);
  }
  assert.equal(used.size, arms);
});

test('pinwheel without tangential noise: a point at radius 2f lies at angle 2πk/arms + rate·exp(f)', async () => {
  const arms = 4;
  const rate = 0.3;
  // radialStd 0.15: f = 1 + 0.15z is positive unless z < −6.7, so the radius is 2f.
  const data = await load({ kind: 'pinwheel', n: 2000, arms, radialStd: 0.15, tangentialStd: 0, rate });
  const used = new Set<number>();
  for (const [x, y] of rows(data.points)) {
    const f = Math.hypot(x, y) / PINWHEEL_RADIUS;
    const k = [...Array(arms).keys()].find((a) => angleGap(Math.atan2(y, x), (2 * Math.PI * a) / arms + rate * Math.exp(f)) < 1e-5);
    assert.ok(k !== undefined, `(${x}, ${y}) is on no arm`);
    used.add(k);
  }
  assert.equal(used.size, arms);
});

test('toy configs fill sensible defaults and refuse bad fields by name', () => {
  assert.deepEqual(dataConfig({ kind: 'rings' }), { kind: 'rings', n: 5000, radii: [1, 2, 3], noise: 0.08 });
  const refused = (data: Record<string, unknown>, field: string, message: RegExp) => {
    const result = parseExperimentConfig({ data });
    assert.ok(!result.ok, JSON.stringify(data));
    const issue = result.issues.find((i) => i.field === field);
    assert.ok(issue, `no issue for ${field}: ${JSON.stringify(result.issues)}`);
    assert.match(issue.message, message);
  };
  refused({ kind: 'two-moons', noise: -1 }, 'data.noise', /noise must be ≥ 0/);
  refused({ kind: 'rings', radii: [1, -2] }, 'data.radii[1]', /radius must be > 0/);
  refused({ kind: 'checkerboard', cells: 1 }, 'data.cells', /cells must be ≥ 2/);
  refused({ kind: 'spirals', arms: 1.5 }, 'data.arms', /arms must be an integer/);
  refused({ kind: 'pinwheel', rate: 'fast' }, 'data.rate', /rate must be a number/);
  refused({ kind: 'swiss-roll', n: 0 }, 'data.n', /n must be > 0/);
  refused({ kind: 'two-moons', radius: 2 }, 'data', /unknown key\(s\): radius/);
  refused({ kind: 'moons' }, 'data.kind', /kind must be one of: .*two-moons, swiss-roll, rings, checkerboard, spirals, pinwheel/);
  // The toy's size is known from its config: a batch larger than n is refused before anything runs.
  const big = parseExperimentConfig({ data: { kind: 'spirals', n: 100 }, train: { batchSize: 101 } });
  assert.ok(!big.ok && big.issues.some((i) => i.field === 'train.batchSize'));
});
