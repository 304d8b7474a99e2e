/**
 * Every objective against closed forms on Gaussian targets: its value at the true score, its
 * per-level values across a schedule with each weighting λ(σ), and training a linear score model to
 * the true one. Monte Carlo means are checked within 4 standard errors (estimated from the same
 * draws, which the seeded streams make the same on every run).
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleLevel } from '../../../../src-shared/api';
import { parseExperimentConfig, requireExperimentConfig } from '../../../../src-shared/config';
import type { ObjectiveConfig } from '../../../../src-shared/config';
import type { ScoreFn, ScoreNetwork } from '../../../../src-main/engine/networks';
import { linear } from '../../../../src-main/engine/networks/linear';
import { createObjective, lossWeight } from '../../../../src-main/engine/objectives';
import { dsmLoss } from '../../../../src-main/engine/objectives/dsm';
import { esmLoss } from '../../../../src-main/engine/objectives/esm';
import { fdSsmLoss } from '../../../../src-main/engine/objectives/fd-ssm';
import { ismLoss } from '../../../../src-main/engine/objectives/ism';
import { drawProjections, ssmLoss } from '../../../../src-main/engine/objectives/ssm';
import type { Projection } from '../../../../src-main/engine/objectives/ssm';
import { createRng } from '../../../../src-main/engine/random';
import { sampleBatch } from '../../../../src-main/engine/training/batches';
import { learningRateAt, setLearningRate } from '../../../../src-main/engine/training/lr-schedule';
import { trainStep } from '../../../../src-main/engine/training/train-step';
import { assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

// ---------------------------------------------------------------------------------------------
// The target p = N(μ, Σ) in 2-D, its precision P = Σ⁻¹ and its score ∇ log p(x) = −P(x − μ).

const MU = [1, -0.5];
const SIGMA = [
  [2, 0.6],
  [0.6, 0.8],
];
const DET = SIGMA[0][0] * SIGMA[1][1] - SIGMA[0][1] * SIGMA[1][0]; // 1.24
const PRECISION = [
  [SIGMA[1][1] / DET, -SIGMA[0][1] / DET],
  [-SIGMA[1][0] / DET, SIGMA[0][0] / DET],
];
const TRACE_PRECISION = PRECISION[0][0] + PRECISION[1][1]; // tr(Σ⁻¹) = 2.8/1.24

/** n draws x = μ + L·z, L the Cholesky factor of Σ, row-major. */
function gaussianPoints(n: number, seed: number): Float32Array {
  const l00 = Math.sqrt(SIGMA[0][0]);
  const l10 = SIGMA[1][0] / l00;
  const l11 = Math.sqrt(SIGMA[1][1] - l10 * l10);
  const z = createRng(seed, 'gaussian').normals(2 * n);
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = MU[0] + l00 * z[2 * i];
    x[2 * i + 1] = MU[1] + l10 * z[2 * i] + l11 * z[2 * i + 1];
  }
  return x;
}

/** The true score as a linear map in row form: s(x) = x·W + b with W = −P (symmetric) and b = μ·P. */
const TRUE_W = PRECISION.map((row) => row.map((v) => -v));
const TRUE_B = [0, 1].map((j) => MU[0] * PRECISION[0][j] + MU[1] * PRECISION[1][j]);
const trueScore: ScoreFn = (x) => tf.tidy(() => linear(x, tf.tensor2d(TRUE_W), tf.tensor1d(TRUE_B)));

function meanAndError(values: ArrayLike<number>): { mean: number; se: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2 / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

function assertMonteCarlo(values: ArrayLike<number>, expected: number, what: string): void {
  const { mean, se } = meanAndError(values);
  assertClose(mean, expected, 4 * se, `${what} (standard error ${se.toExponential(2)})`);
}

// ---------------------------------------------------------------------------------------------
// Each estimator at the true score of N(μ, Σ), on draws from it (σ is only the network's input here).

const N = 40_000;
const UNUSED_SIGMA = () => tf.fill([N, 1], 1) as tf.Tensor2D;

/** Per-row losses of `loss` on N draws of the target, read back. */
function lossesAtTruth(loss: (x: tf.Tensor2D, sigma: tf.Tensor2D) => tf.Tensor1D): Float32Array {
  return tf.tidy(() => loss(tf.tensor2d(gaussianPoints(N, 1), [N, 2]), UNUSED_SIGMA()).dataSync() as Float32Array);
}

const projections = (projection: Projection) => tf.tensor2d(drawProjections(projection, 2 * N, createRng(2, 'v')), [N, 2]);

test('ISM at the true score of N(μ, Σ) averages −½·E‖∇ log p‖² = −½·tr(Σ⁻¹)', () => {
  // E[tr(∇s) + ½‖s‖²] = −tr(P) + ½·E[(x − μ)ᵀP²(x − μ)] = −tr(P) + ½·tr(P).
  assertMonteCarlo(lossesAtTruth((x, sigma) => ismLoss(trueScore, x, sigma)), -0.5 * TRACE_PRECISION, 'mean ISM loss');
});

for (const projection of ['gaussian', 'rademacher'] as const) {
  for (const varianceReduced of [true, false]) {
    const name = varianceReduced ? 'SSM-VR' : 'SSM';
    test(`${name} with ${projection} projections at the true score averages −½·tr(Σ⁻¹)`, () => {
      // E[vᵀ(−P)v] = −tr(P) for E[vvᵀ] = I; E[(vᵀs)²] = E[‖s‖²] = tr(P) for v independent of x.
      const values = lossesAtTruth((x, sigma) => ssmLoss(trueScore, x, sigma, projections(projection), varianceReduced));
      assertMonteCarlo(values, -0.5 * TRACE_PRECISION, `mean ${name} loss`);
    });
  }
}

test('FD-SSM at the true (linear) score averages −½·tr(Σ⁻¹): central differences are exact for a linear score', () => {
  for (const varianceReduced of [true, false]) {
    const values = lossesAtTruth((x, sigma) => fdSsmLoss(trueScore, x, sigma, projections('rademacher'), 0.05, varianceReduced));
    assertMonteCarlo(values, -0.5 * TRACE_PRECISION, `mean FD-SSM loss (variance-reduced: ${varianceReduced})`);
  }
});

test('FD-SSM equals SSM sample by sample on a linear score (same points, same projections)', () => {
  const [fd, exact] = [
    (x: tf.Tensor2D, sigma: tf.Tensor2D) => fdSsmLoss(trueScore, x, sigma, projections('gaussian'), 0.05, false),
    (x: tf.Tensor2D, sigma: tf.Tensor2D) => ssmLoss(trueScore, x, sigma, projections('gaussian'), false),
  ].map(lossesAtTruth);
  let worst = 0;
  for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(fd[i] - exact[i]) / (1 + Math.abs(exact[i])));
  // Float32: s(x ± δv) carry ~1e-7·|s| each; their difference over 2δ = 0.1 amplifies that ~10×.
  assert.ok(worst < 1e-4, `largest relative difference ${worst}`);
});

test('ESM is 0 at the true score and ½·tr(Σ⁻¹) = ½·E‖∇ log p‖² at the zero score', () => {
  const atTruth = lossesAtTruth((x, sigma) => esmLoss(trueScore, x, sigma, trueScore(x, sigma)));
  assert.ok(atTruth.every((v) => v === 0));
  const atZero = lossesAtTruth((x, sigma) => esmLoss((xx) => tf.zerosLike(xx), x, sigma, trueScore(x, sigma)));
  assertMonteCarlo(atZero, 0.5 * TRACE_PRECISION, 'mean ESM loss of s = 0');
});

test('DSM at one σ with λ = 1 reaches its irreducible value ½·D·(1/σ² − 1/(s² + σ²)) at the optimum, for p = N(0, s²I)', () => {
  // Derivation in dsm.ts: s* = −x̃/(s² + σ²), E‖s* + z/σ‖² = D/(s² + σ²) − 2D/(s² + σ²) + D/σ².
  const s = 1.5;
  const sigma = 0.4;
  const n = N;
  const values = tf.tidy(() => {
    const x = tf.mul(s, tf.tensor2d(createRng(3, 'x').normals(2 * n), [n, 2])) as tf.Tensor2D;
    const z = tf.tensor2d(createRng(3, 'z').normals(2 * n), [n, 2]);
    const optimum: ScoreFn = (xt) => tf.div(tf.neg(xt), s * s + sigma * sigma);
    return dsmLoss(optimum, x, tf.fill([n, 1], sigma) as tf.Tensor2D, z, tf.ones([n, 1]) as tf.Tensor2D).dataSync();
  });
  const irreducible = 0.5 * 2 * (1 / sigma ** 2 - 1 / (s * s + sigma * sigma)); // 5.8351…
  assertMonteCarlo(values, irreducible, 'mean DSM loss at the optimum');
});

// ---------------------------------------------------------------------------------------------
// The objectives as configured, across a schedule: p = N(m, s²I), so p_σ = N(m, (s² + σ²)I) and the
// exact noise-conditional score is s(x̃, σ) = −(x̃ − m)/(s² + σ²), row by row.

const M = [0.5, -1];
const S = 1.5;
const SIGMAS = [2.5, 1, 0.3];
const perturbedScore: ScoreFn = (x, sigma) =>
  tf.tidy(() => tf.div(tf.neg(tf.sub(x, tf.tensor2d([M]))), tf.add(S * S, tf.square(sigma))) as tf.Tensor2D);
const isotropicTarget = { mixture: { means: [M], stds: [S], weights: [1] } };

/** The per-level closed forms at the exact score, before λ: what one level's estimator averages. */
function closedForm(kind: ObjectiveConfig['kind'], sigma: number): number {
  const variance = S * S + sigma * sigma;
  switch (kind) {
    case 'dsm':
      return 0.5 * 2 * (1 / (sigma * sigma) - 1 / variance);
    case 'esm':
      return 0;
    default: // ISM and every sliced form: −½·tr((s² + σ²)⁻¹·I)
      return -0.5 * (2 / variance);
  }
}

const CONFIGS: Record<string, object> = {
  dsm: { kind: 'dsm' },
  esm: { kind: 'esm' },
  ism: { kind: 'ism' },
  'ssm (VR, rademacher, M = 3)': { kind: 'ssm', projections: 3 },
  'ssm (gaussian, M = 2)': { kind: 'ssm', projection: 'gaussian', varianceReduced: false, projections: 2 },
  'noisy-ssm': { kind: 'noisy-ssm' },
  'fd-ssm': { kind: 'fd-ssm', varianceReduced: false },
};

for (const [name, input] of Object.entries(CONFIGS)) {
  for (const weighting of ['sigma2', 'sigma', 'one'] as const) {
    test(`${name}, λ = ${weighting}: each level's logged loss is λ(σ_i) times its closed form at the exact score`, () => {
      const config = requireExperimentConfig({
        objective: { ...input, weighting },
        schedule: { kind: 'geometric', sigmaMax: SIGMAS[0], sigmaMin: SIGMAS[2], levels: 3 },
      }).objective;
      const levels: ScheduleLevel[] = SIGMAS.map((sigma, level) => ({ level, sigma, alpha: 0, weight: lossWeight(config, sigma) }));
      const objective = createObjective(config, levels, isotropicTarget);
      const n = 30_000;
      const data = tf.tensor2d(
        createRng(4, 'x').normals(2 * n).map((z, i) => M[i % 2] + S * z),
        [n, 2],
      );
      const { values, drawn } = tf.tidy(() => {
        const out = objective.sampleLoss({ score: perturbedScore }, data, createRng(5, 'objective'));
        return { values: out.perSample.dataSync(), drawn: out.levels };
      });
      data.dispose();
      SIGMAS.forEach((sigma, i) => {
        const atLevel = values.filter((_, j) => drawn[j] === i);
        assert.ok(atLevel.length > n / 4, `level ${i} drawn ${atLevel.length} times`);
        const expected = levels[i].weight * closedForm(config.kind, sigma);
        if (config.kind === 'esm') assert.ok(atLevel.every((v) => Math.abs(v) < 1e-9 + 1e-6 * levels[i].weight), 'ESM vanishes at the exact score');
        else assertMonteCarlo(atLevel, expected, `level ${i} (σ = ${sigma}, λ = ${levels[i].weight})`);
      });
    });
  }
}

test('the schedule records λ(σ) = σ², σ or 1 for every objective', () => {
  for (const kind of ['dsm', 'esm', 'ism', 'ssm', 'fd-ssm', 'noisy-ssm'] as const) {
    const expected = { sigma2: 6.25, sigma: 2.5, one: 1 };
    for (const weighting of ['sigma2', 'sigma', 'one'] as const) assert.equal(lossWeight({ ...requireExperimentConfig({ objective: { kind } }).objective, weighting }, 2.5), expected[weighting]);
  }
});

// ---------------------------------------------------------------------------------------------
// Training a linear score model s(x) = x·W + b on draws of N(μ, Σ) moves it to the true score.

function linearModel(): ScoreNetwork {
  const w = tf.variable(tf.zeros([2, 2]));
  const b = tf.variable(tf.zeros([2]));
  return {
    variables: [w, b],
    score: (x) => linear(x, w as tf.Tensor2D, b as tf.Tensor1D),
    weightNames: [],
    getWeights: () => Promise.resolve([]),
    setWeights: () => undefined,
    dispose: () => tf.dispose([w, b]),
  };
}

for (const [name, input] of [
  ['ism', { kind: 'ism' }],
  ['ssm (VR, rademacher)', { kind: 'ssm' }],
  ['ssm (gaussian, 4 projections)', { kind: 'ssm', projection: 'gaussian', varianceReduced: false, projections: 4 }],
  ['fd-ssm', { kind: 'fd-ssm' }],
] as const) {
  test(`training with ${name} moves a linear score to the true one: W → −Σ⁻¹, b → Σ⁻¹μ`, () => {
    // One level at σ = 10⁻³: the target −(Σ + σ²I)⁻¹ is −Σ⁻¹ to 10⁻⁶. The fitted W is the empirical
    // optimum −Ŝ⁻¹ of 20 000 draws, within ~1% of −Σ⁻¹, plus what SGD noise is left at lr → 0.
    const config = requireExperimentConfig({ objective: input });
    const objective = createObjective(config.objective, [{ level: 0, sigma: 1e-3, alpha: 0, weight: 1 }]);
    const model = linearModel();
    const optimizer = tf.train.adam(0.05);
    const data = { points: gaussianPoints(20_000, 6), n: 20_000, dim: 2 };
    const batchRng = createRng(7, 'batches');
    const noiseRng = createRng(7, 'objective');
    const train = { lr: 0.05, lrSchedule: 'cosine' as const, steps: 800 };
    for (let step = 1; step <= train.steps; step++) {
      setLearningRate(optimizer, learningRateAt(train, step));
      const batch = tf.tensor2d(sampleBatch(data, 256, batchRng), [256, 2]);
      tf.dispose([trainStep(model, objective, optimizer, batch, noiseRng, false).loss, batch]);
    }
    const [w, b] = model.variables.map((v) => Array.from(v.dataSync()));
    TRUE_W.flat().forEach((expected, i) => assertClose(w[i], expected, 0.05, `W[${i}]`));
    TRUE_B.forEach((expected, i) => assertClose(b[i], expected, 0.05, `b[${i}]`));
    optimizer.dispose();
    model.dispose();
  });
}

test('a training step with any objective leaves the tensor count unchanged (after Adam creates its slots)', () => {
  for (const kind of ['dsm', 'esm', 'ism', 'ssm', 'fd-ssm', 'noisy-ssm'] as const) {
    const config = requireExperimentConfig({ objective: kind.endsWith('ssm') ? { kind, projections: 2 } : { kind } });
    const objective = createObjective(config.objective, SIGMAS.map((sigma, level) => ({ level, sigma, alpha: 0, weight: 1 })), isotropicTarget);
    const model = linearModel();
    const optimizer = tf.train.adam(1e-3);
    const batch = tf.tensor2d(gaussianPoints(16, 8), [16, 2]);
    const rng = createRng(8, 'objective');
    const step = (keep: boolean) => {
      const { loss, perSample } = trainStep(model, objective, optimizer, batch, rng, keep);
      tf.dispose([loss, perSample?.losses]);
    };
    step(true);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step(i % 2 === 0);
    assert.equal(tf.memory().numTensors, after1, kind);
    tf.dispose(batch);
    optimizer.dispose();
    model.dispose();
  }
});

// ---------------------------------------------------------------------------------------------

test('esm needs a target with a closed-form score: a CSV dataset is refused at objective.kind', () => {
  const result = parseExperimentConfig({ data: { kind: 'csv', path: 'x.csv' }, objective: { kind: 'esm' } });
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && result.issues.map((i) => i.field), ['objective.kind']);
  assert.throws(() => createObjective(requireExperimentConfig({ objective: { kind: 'esm' } }).objective, []), /esm needs data/);
});

test('an unknown objective kind names the kinds there are', () => {
  const result = parseExperimentConfig({ objective: { kind: 'nce' } });
  assert.deepEqual(!result.ok && result.issues, [
    { field: 'objective.kind', message: 'kind must be one of: dsm, esm, ism, ssm, fd-ssm, noisy-ssm, cd' },
  ]);
});

test('sliced objectives default to one Rademacher projection, variance-reduced; fd-ssm to a step of 0.05·σ', () => {
  assert.deepEqual(requireExperimentConfig({ objective: { kind: 'ssm' } }).objective, {
    kind: 'ssm',
    weighting: 'sigma2',
    projection: 'rademacher',
    projections: 1,
    varianceReduced: true,
  });
  assert.equal((requireExperimentConfig({ objective: { kind: 'fd-ssm' } }).objective as { step: number }).step, 0.05);
});
