import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExperimentConfig, requireExperimentConfig } from '../../../../src-shared/config';
import type { ExperimentConfigInput } from '../../../../src-shared/config';
import { createRng } from '../../../../src-main/engine/random';
import { buildSchedule } from '../../../../src-main/engine/run/schedule-table';
import { levelOverlap, normalCdf, overlapRatio } from '../../../../src-main/engine/schedules/ncsnv2';
import { pairRows, percentile } from '../../../../src-main/engine/schedules/pairwise';
import { assertClose } from '../helpers';

const relClose = (actual: number, expected: number, what: string) => assertClose(actual, expected, 1e-12 * Math.abs(expected), what);

test('geometric levels run from sigmaMax down to sigmaMin with a constant ratio', () => {
  // σ_i = 10·(0.1/10)^(i/2): 10, 1, 0.1.
  const levels = buildSchedule(
    requireExperimentConfig({ schedule: { kind: 'geometric', sigmaMax: 10, sigmaMin: 0.1, levels: 3 } }),
  );
  assert.deepEqual(levels.map((l) => l.level), [0, 1, 2]);
  [10, 1, 0.1].forEach((sigma, i) => relClose(levels[i].sigma, sigma, `σ_${i}`));
});

test('the default schedule is σ_i = 10·(0.05/10)^(i/9) over 10 levels, with α_i = ε·σ_i²/σ_L² and λ = σ²', () => {
  const levels = buildSchedule(requireExperimentConfig({}));
  assert.equal(levels.length, 10);
  for (let i = 0; i < 10; i++) {
    const sigma = 10 * Math.pow(0.05 / 10, i / 9);
    relClose(levels[i].sigma, sigma, `σ_${i}`);
    relClose(levels[i].alpha, (2.5e-4 * sigma * sigma) / (0.05 * 0.05), `α_${i}`);
    relClose(levels[i].weight, sigma * sigma, `λ_${i}`);
  }
  assert.equal(levels[9].sigma, 0.05, 'the last level is exactly sigmaMin');
  relClose(levels[0].alpha, 10, 'α_1 = 2.5e-4 · 10² / 0.05²');
  relClose(levels[9].alpha, 2.5e-4, 'α_L = ε');
});

test("the loss weight follows the objective's weighting: σ², σ or 1", () => {
  const schedule = { kind: 'geometric', sigmaMax: 4, sigmaMin: 1, levels: 3 } as const; // σ = 4, 2, 1
  const weights = (weighting: 'sigma2' | 'sigma' | 'one') =>
    buildSchedule(requireExperimentConfig({ schedule, objective: { kind: 'dsm', weighting } })).map((l) => l.weight);
  assert.deepEqual(weights('sigma2'), [16, 4, 1]);
  assert.deepEqual(weights('sigma'), [4, 2, 1]);
  assert.deepEqual(weights('one'), [1, 1, 1]);
});

test("the step sizes scale with the sampler's ε", () => {
  const config = requireExperimentConfig({
    schedule: { kind: 'geometric', sigmaMax: 4, sigmaMin: 1, levels: 3 },
    sampler: { kind: 'annealed-langevin', eps: 0.01 },
  });
  assert.deepEqual(buildSchedule(config).map((l) => l.alpha), [0.16, 0.04, 0.01]);
});

test('a one-level schedule is the single level sigmaMin, with α = ε', () => {
  const [only, ...rest] = buildSchedule(requireExperimentConfig({ schedule: { kind: 'geometric', levels: 1 } }));
  assert.equal(rest.length, 0);
  assert.equal(only.sigma, 0.05);
  relClose(only.alpha, 2.5e-4, 'α');
});

// ---- The other spacings, each against its defining formula (t_i = i/(L−1)). ----

/** The levels for `data` given directly, as the engine passes a CSV's points (whose dimension the config does not fix). */
const sigmasOf = (schedule: ExperimentConfigInput['schedule'], data?: { points: Float32Array; n: number; dim: number }) =>
  buildSchedule(requireExperimentConfig({ schedule, ...(data ? { data: { kind: 'csv', path: 'points.csv' } } : {}) }), data).map((l) => l.sigma);

const RANGE = { sigmaMax: 10, sigmaMin: 0.2, levels: 6 };
const ts = Array.from({ length: RANGE.levels }, (_, i) => i / (RANGE.levels - 1));

test('linear levels: σ_i = σ_max + (σ_min − σ_max)·t_i, equal steps', () => {
  const sigmas = sigmasOf({ kind: 'linear', ...RANGE });
  ts.forEach((t, i) => relClose(sigmas[i], 10 + (0.2 - 10) * t, `σ_${i}`));
  // 10, 8.04, 6.08, 4.12, 2.16, 0.2: every step is (0.2 − 10)/5.
  for (let i = 1; i < sigmas.length; i++) assertClose(sigmas[i] - sigmas[i - 1], -1.96, 1e-12, `step ${i}`);
});

test('quadratic levels: σ_i = (√σ_max + (√σ_min − √σ_max)·t_i)², equal steps in √σ', () => {
  const sigmas = sigmasOf({ kind: 'quadratic', ...RANGE });
  ts.forEach((t, i) => relClose(sigmas[i], (Math.sqrt(10) + (Math.sqrt(0.2) - Math.sqrt(10)) * t) ** 2, `σ_${i}`));
  const step = (Math.sqrt(0.2) - Math.sqrt(10)) / 5;
  for (let i = 1; i < sigmas.length; i++) assertClose(Math.sqrt(sigmas[i]) - Math.sqrt(sigmas[i - 1]), step, 1e-12, `√σ step ${i}`);
  assert.equal(sigmas.at(-1), 0.2);
});

test("cosine levels are Nichol & Dhariwal's cosine schedule as noise levels: ᾱ_i = 1/(1 + σ_i²) = cos²(θ_i), θ_i linear", () => {
  const sigmas = sigmasOf({ kind: 'cosine', ...RANGE });
  const [thetaMax, thetaMin] = [Math.atan(10), Math.atan(0.2)];
  ts.forEach((t, i) => {
    relClose(sigmas[i], Math.tan(thetaMax + (thetaMin - thetaMax) * t), `σ_${i}`);
    // x̃ = x + σz is √(1 + σ²) times a VP state with ᾱ = 1/(1 + σ²); the cosine schedule has ᾱ = cos²θ.
    assertClose(1 / (1 + sigmas[i] ** 2), Math.cos(thetaMax + (thetaMin - thetaMax) * t) ** 2, 1e-12, `ᾱ_${i}`);
  });
  assert.equal(sigmas.at(-1), 0.2);
});

test('every spacing runs from sigmaMax down to sigmaMin, strictly decreasing, and one level is sigmaMin', () => {
  for (const kind of ['geometric', 'linear', 'quadratic', 'cosine'] as const) {
    const sigmas = sigmasOf({ kind, ...RANGE });
    assert.equal(sigmas.length, 6, kind);
    relClose(sigmas[0], 10, `${kind} σ_max`);
    assert.equal(sigmas[5], 0.2, `${kind} σ_min`);
    for (let i = 1; i < sigmas.length; i++) assert.ok(sigmas[i] < sigmas[i - 1], `${kind} decreasing at ${i}`);
    assert.deepEqual(sigmasOf({ kind, ...RANGE, levels: 1 }), [0.2], `${kind}, one level`);
  }
});

// ---- Schedules from the data. ----

/** n points in `dim` dimensions, normal, from a seeded stream. */
function cloud(n: number, dim: number, seed: number, scale = 1) {
  const rng = createRng(seed, 'cloud');
  return { points: Float32Array.from(rng.normals(n * dim), (v) => v * scale), n, dim };
}

/** Every pairwise distance in float64, sorted, and Type 7's percentile of it: the definition, written out. */
function bruteForcePercentile(data: { points: Float32Array; n: number; dim: number }, p: number): number {
  const d: number[] = [];
  for (let i = 0; i < data.n; i++)
    for (let j = i + 1; j < data.n; j++) {
      let s = 0;
      for (let k = 0; k < data.dim; k++) s += (data.points[i * data.dim + k] - data.points[j * data.dim + k]) ** 2;
      d.push(Math.sqrt(s));
    }
  d.sort((a, b) => a - b);
  const h = ((d.length - 1) * p) / 100;
  const lo = Math.floor(h);
  return lo + 1 < d.length ? d[lo] + (h - lo) * (d[lo + 1] - d[lo]) : d[lo];
}

test('percentile (quickselect) equals Type 7 on the sorted values, ties and both ends included', () => {
  const rng = createRng(1, 'percentile');
  for (const n of [1, 2, 7, 1000]) {
    // Values on a coarse grid, so ties are common.
    const values = Float32Array.from({ length: n }, () => Math.round(rng.uniform() * 20) / 4);
    const sorted = Array.from(values).sort((a, b) => a - b);
    for (const p of [0, 0.1, 5, 25, 50, 62.5, 99, 100]) {
      const h = ((n - 1) * p) / 100;
      const lo = Math.floor(h);
      const expected = lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
      assert.equal(percentile(values.slice(), p), expected, `n = ${n}, p = ${p}`);
    }
  }
});

test('adaptive levels span the chosen percentiles of the pairwise distances (brute force), spaced as asked', () => {
  const data = cloud(300, 3, 2, 2);
  const lowP = 2.5;
  const highP = 97;
  const [low, high] = [bruteForcePercentile(data, lowP), bruteForcePercentile(data, highP)];
  for (const spacing of ['geometric', 'linear', 'quadratic', 'cosine'] as const) {
    const sigmas = sigmasOf({ kind: 'adaptive', lowPercentile: lowP, highPercentile: highP, levels: 5, spacing }, data);
    // Distances are kept in float32, like the data.
    assertClose(sigmas[0], high, 1e-6 * high, `${spacing}: σ_max = the ${highP}th percentile`);
    assertClose(sigmas[4], low, 1e-6 * low, `${spacing}: σ_min = the ${lowP}th percentile`);
    const sameRange = sigmasOf({ kind: spacing, sigmaMax: sigmas[0], sigmaMin: sigmas[4], levels: 5 });
    sameRange.forEach((sigma, i) => relClose(sigmas[i], sigma, `${spacing} σ_${i}`));
  }
  // The defaults: 0.1th and 100th percentiles (the largest distance), 10 geometric levels.
  const defaults = sigmasOf({ kind: 'adaptive' }, data);
  assert.equal(defaults.length, 10);
  assertClose(defaults[0], bruteForcePercentile(data, 100), 1e-6 * defaults[0], 'default σ_max');
  assertClose(defaults[9], bruteForcePercentile(data, 0.1), 1e-6 * defaults[9], 'default σ_min');
});

test('pairwise distances are taken among all rows of small data, and fewer rows (a seeded subsample) of wide data', () => {
  const small = cloud(300, 3, 3);
  assert.deepEqual(pairRows(small, createRng(0, 'schedule')).points, small.points);
  const wide = cloud(400, 5000, 4);
  const rows = pairRows(wide, createRng(0, 'schedule'));
  assert.ok(rows.n < 400 && rows.n ** 2 * 5000 <= 5.1e8, `rows: ${rows.n}`);
  const rowsOf = (points: Float32Array, n: number) => Array.from({ length: n }, (_, i) => points.subarray(i * 5000, (i + 1) * 5000).join(','));
  const all = new Set(rowsOf(wide.points, 400));
  assert.ok(rowsOf(rows.points, rows.n).every((r) => all.has(r)), 'every row is a row of the data');
  // The same seed, the same rows: a run's schedule repeats.
  assert.deepEqual(sigmasOf({ kind: 'adaptive', levels: 3 }, wide), sigmasOf({ kind: 'adaptive', levels: 3 }, wide));
});

/** Φ by Simpson's rule on the normal density from −12 to x: independent of the erfc fit the engine uses. */
function phiByQuadrature(x: number): number {
  if (x < -12) return 0;
  const steps = 20000;
  const h = (x + 12) / steps;
  const f = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(-12) + f(x);
  for (let i = 1; i < steps; i++) sum += f(-12 + i * h) * (i % 2 ? 4 : 2);
  return (sum * h) / 3;
}

test("Φ matches the normal density's integral to 2e-7", () => {
  for (const x of [-6, -3, -1.5, -0.2, 0, 0.7, 2, 4.5]) assertClose(normalCdf(x), phiByQuadrature(x), 2e-7, `Φ(${x})`);
});

test("NCSNv2's ratio γ solves Φ(√(2D)(γ−1)+3γ) − Φ(√(2D)(γ−1)−3γ) = ½ to 1e-3, for D from 5 to 3072", () => {
  for (const dim of [5, 6, 10, 100, 784, 3072]) {
    const gamma = overlapRatio(dim);
    assert.ok(gamma !== null && gamma > 1, `γ(${dim})`);
    const a = Math.sqrt(2 * dim) * (gamma - 1);
    assertClose(phiByQuadrature(a + 3 * gamma) - phiByQuadrature(a - 3 * gamma), 0.5, 1e-3, `overlap at D = ${dim}, γ = ${gamma}`);
  }
  // Higher dimensions concentrate the shells: the ratio falls towards 1.
  assert.ok(overlapRatio(10)! > overlapRatio(100)! && overlapRatio(100)! > overlapRatio(3072)!);
});

test('below 5 dimensions every ratio leaves the overlap above ½: the rule picks no γ', () => {
  for (const dim of [1, 2, 4]) {
    assert.equal(overlapRatio(dim), null);
    for (const gamma of [1.01, 2, 10, 1000]) assert.ok(levelOverlap(gamma, dim) > 0.99, `D = ${dim}, γ = ${gamma}`);
  }
});

test('ncsnv2 levels: σ_1 the largest pairwise distance, geometric to sigmaMin, the fewest levels with ratio ≤ γ*', () => {
  const data = cloud(400, 10, 5, 3);
  const sigmas = sigmasOf({ kind: 'ncsnv2', sigmaMin: 0.05 }, data);
  const sigmaMax = bruteForcePercentile(data, 100);
  assertClose(sigmas[0], sigmaMax, 1e-6 * sigmaMax, 'σ_1 = max ‖x_i − x_j‖');
  assert.equal(sigmas.at(-1), 0.05);
  const L = sigmas.length;
  const ratio = (sigmas[0] / 0.05) ** (1 / (L - 1));
  for (let i = 1; i < L; i++) relClose(sigmas[i - 1] / sigmas[i], ratio, `ratio at ${i}`);
  const gamma = overlapRatio(10)!;
  assert.ok(ratio <= gamma, `the ratio ${ratio} keeps the overlap ≥ ½ (γ* = ${gamma})`);
  assert.ok((sigmas[0] / 0.05) ** (1 / (L - 2)) > gamma, 'one level fewer would not');
  // With `levels` given, Technique 1 alone: any dimension.
  const two = cloud(300, 2, 6);
  const given = sigmasOf({ kind: 'ncsnv2', sigmaMin: 0.01, levels: 4 }, two);
  const top = bruteForcePercentile(two, 100);
  assertClose(given[0], top, 1e-6 * top, 'σ_1 in 2-D');
  given.forEach((sigma, i) => assertClose(sigma, top * (0.01 / top) ** (i / 3), 1e-6 * sigma, `2-D σ_${i}`));
});

// ---- Bad input names the field. ----

function issuesOf(schedule: unknown, data?: unknown): { field: string; message: string }[] {
  const result = parseExperimentConfig({ schedule, ...(data ? { data } : {}) });
  assert.equal(result.ok, false, `refused: ${JSON.stringify(schedule)}`);
  return result.ok ? [] : result.issues;
}

test('bad schedules are refused naming the field: σ_min ≥ σ_max, no levels, percentiles out of order or range, an unknown kind', () => {
  for (const kind of ['geometric', 'linear', 'quadratic', 'cosine']) {
    assert.deepEqual(issuesOf({ kind, sigmaMin: 2, sigmaMax: 2 }), [{ field: 'schedule.sigmaMin', message: 'sigmaMin must be < sigmaMax' }], kind);
    assert.deepEqual(issuesOf({ kind, levels: 0 }), [{ field: 'schedule.levels', message: 'levels must be > 0' }], kind);
    assert.deepEqual(issuesOf({ kind, sigmaMin: 0 }), [{ field: 'schedule.sigmaMin', message: 'sigmaMin must be > 0' }], kind);
  }
  assert.deepEqual(issuesOf({ kind: 'adaptive', levels: 0 }), [{ field: 'schedule.levels', message: 'levels must be > 0' }]);
  assert.deepEqual(issuesOf({ kind: 'adaptive', lowPercentile: -1 }), [{ field: 'schedule.lowPercentile', message: 'lowPercentile must be ≥ 0' }]);
  assert.deepEqual(issuesOf({ kind: 'adaptive', highPercentile: 100.5 }), [{ field: 'schedule.highPercentile', message: 'highPercentile must be ≤ 100' }]);
  assert.deepEqual(issuesOf({ kind: 'adaptive', lowPercentile: 50, highPercentile: 50 }), [
    { field: 'schedule.lowPercentile', message: 'lowPercentile must be < highPercentile' },
  ]);
  assert.equal(issuesOf({ kind: 'adaptive', spacing: 'log' })[0].field, 'schedule.spacing');
  assert.deepEqual(issuesOf({ kind: 'ncsnv2', levels: 0 }), [{ field: 'schedule.levels', message: 'levels must be > 0' }]);
  assert.deepEqual(issuesOf({ kind: 'ncsnv2', sigmaMax: 3, levels: 3 }), [{ field: 'schedule', message: 'unknown key(s): sigmaMax' }]);
  const [unknown] = issuesOf({ kind: 'exponential' });
  assert.equal(unknown.field, 'schedule.kind');
  assert.match(unknown.message, /kind must be one of: geometric, linear, quadratic, cosine, adaptive, ncsnv2/);
});

test("ncsnv2 without levels is refused for data under 5 dimensions, naming schedule.levels; from 5 on it is accepted", () => {
  assert.deepEqual(issuesOf({ kind: 'ncsnv2' }), [
    { field: 'schedule.levels', message: 'ncsnv2 chooses the number of levels only from 5 dimensions on (the data has 2); give levels' },
  ]);
  const fiveD = { kind: 'gaussian-mixture', means: [[1, 0, 0, 0, 0], [-1, 0, 0, 0, 0]], stds: 1, weights: [0.5, 0.5] };
  assert.equal(parseExperimentConfig({ schedule: { kind: 'ncsnv2' }, data: fiveD }).ok, true);
  // A CSV's dimension is known only once read: buildSchedule refuses it then, naming the same field.
  assert.throws(() => sigmasOf({ kind: 'ncsnv2' }, cloud(50, 2, 7)), /^Error: schedule\.levels: NCSNv2's ratio rule picks no number of levels below 5 dimensions \(this data has 2\)/);
});

test('data that cannot give a σ range is refused at build time, naming the field to change', () => {
  // Every point twice: the smallest distances are 0.
  const twice = cloud(20, 2, 8);
  const doubled = { points: Float32Array.from([...twice.points, ...twice.points]), n: 40, dim: 2 };
  assert.throws(() => sigmasOf({ kind: 'adaptive', lowPercentile: 1 }, doubled), /^Error: schedule\.lowPercentile: the 1th percentile of the data's pairwise distances is 0/);
  assert.throws(() => sigmasOf({ kind: 'ncsnv2', sigmaMin: 1000, levels: 3 }, twice), /^Error: schedule\.sigmaMin: must be below σ_max/);
  // 200,000 dimensions: γ* ≈ 1.0048, so the 21.8 decades from σ_min = 1e-5 (the least the config
  // takes) to σ_max ≈ 1e14·√(2·200,000) take ≈ 10,500 levels, over the bound.
  assert.throws(() => sigmasOf({ kind: 'ncsnv2', sigmaMin: 1e-5 }, cloud(10, 200_000, 9, 1e14)), /^Error: schedule\.sigmaMin: .* takes \d+ levels, over 10,000; raise sigmaMin$/);
  assert.throws(() => sigmasOf({ kind: 'adaptive' }), /schedule\.kind 'adaptive' takes its levels from the training data/);
});
