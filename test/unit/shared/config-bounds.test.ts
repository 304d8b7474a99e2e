/**
 * Every number a config gives is bounded by what the engine computes in float32 and a desktop runs:
 * σ and its kin within [1e-5, 1e4], steps within [1e-12, 1e8] (the annealed ε through
 * α_1 = ε·σ_1²/σ_L²), counts by work and memory. Inputs past them are refused naming the field;
 * a CSV too wide is refused from its first row; a run whose samples go non-finite ends failed.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  FLOAT_BOUNDS,
  knownDataSize,
  MAX_DATA_DIM,
  parseExperimentConfig,
  requireExperimentConfig,
  SIZE_LIMITS,
  sizeIssues,
  type ExperimentConfigInput,
} from '../../../src-shared/config';
import { CsvError, loadCsv, MAX_CSV_BYTES, parseCsv } from '../../../src-main/engine/data/csv';
import { scheduleSpan } from '../../../src-main/engine/run/prepare';
import type { RunEvent } from '../../../src-main/engine/jobs';
import { runExperiment } from '../../../src-main/engine/run/run-experiment';
import { buildSchedule } from '../../../src-main/engine/run/schedule-table';
import { useEngineBackend } from '../engine/helpers';

useEngineBackend();

const dir = mkdtempSync(join(tmpdir(), 'scorebench-bounds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The issues a config is refused with, as field → messages. */
function refused(input: ExperimentConfigInput): Record<string, string> {
  const result = parseExperimentConfig(input);
  assert.ok(!result.ok, `accepted: ${JSON.stringify(input)}`);
  const out: Record<string, string> = {};
  for (const issue of result.issues) out[issue.field] = out[issue.field] ? `${out[issue.field]}; ${issue.message}` : issue.message;
  return out;
}

const mixture = (k: number, dim: number) => ({ kind: 'gaussian-mixture' as const, means: Array.from({ length: k }, (_, i) => new Array<number>(dim).fill(i)) });

const REFUSED: [string, ExperimentConfigInput, string, RegExp][] = [
  ['a σ whose square is no float32', { schedule: { kind: 'geometric', sigmaMin: 1e-320 } }, 'schedule.sigmaMin', /sigmaMin must be ≥ 1e-5/],
  ['a σ_max past the bound', { schedule: { kind: 'linear', sigmaMax: 1e6 } }, 'schedule.sigmaMax', /sigmaMax must be ≤ 1e4/],
  ['an NCSNv2 σ_min past the bound', { schedule: { kind: 'ncsnv2', sigmaMin: 1e-7, levels: 3 } }, 'schedule.sigmaMin', /≥ 1e-5/],
  ['a step of 1e308', { sampler: { kind: 'annealed-langevin', eps: 1e308 } }, 'sampler.eps', /eps must be ≤ 1e8/],
  ['a step below float32 resolution', { sampler: { kind: 'langevin', eps: 1e-20 } }, 'sampler.eps', /eps must be ≥ 1e-12/],
  // α_1 = 1·(1e4/1e-5)² = 1e18: each within its own bound, not together.
  [
    'an annealed first step α_1 = ε·σ_1²/σ_L² past the bound',
    { schedule: { kind: 'geometric', sigmaMin: 1e-5, sigmaMax: 1e4 }, sampler: { kind: 'annealed-langevin', eps: 1 } },
    'sampler.eps',
    /ε·σ_max²\/σ_min² is 1\.00e\+18, above 1e8/,
  ],
  ['a mixture of 20,000 components', { data: mixture(20_000, 1) }, 'data.means', /at most 1,000 components/],
  ['a mixture whose components × dimension cost too much per step', { data: mixture(300, 300) }, 'data.means', /300 components × 300 coordinates exceed 65,536/],
  ['a mean past the coordinate bound', { data: { kind: 'gaussian-mixture', means: [[1e300, 0]] } }, 'data.means[0][0]', /≤ 1e6/],
  ['a mixture std of 1e-300', { data: { kind: 'gaussian-mixture', stds: 1e-300 } }, 'data.stds', /std must be ≥ 1e-5/],
  ['a weight of 1e-300', { data: { kind: 'gaussian-mixture', weights: [1, 1, 1e-300] } }, 'data.weights[2]', /weight must be ≥ 0.000001/],
  ['a ring of radius 1e9', { data: { kind: 'rings', radii: [1e9] } }, 'data.radii[0]', /radius must be ≤ 1e4/],
  ['a one-level σ past the bound', { sampler: { kind: 'mala', sigma: 1e5 }, model: { kind: 'analytic' } }, 'sampler.sigma', /sigma must be ≤ 1e4/],
  ['a proposal std of 1e-30', { sampler: { kind: 'rwmh', proposalStd: 1e-30 }, model: { kind: 'analytic' } }, 'sampler.proposalStd', /≥ 1e-5/],
  ['an interpolation σ past the bound', { sampler: { kind: 'annealed-langevin', task: { kind: 'interpolate', sigma: 1e7 } } }, 'sampler.task.sigma', /≤ 1e4/],
  ['a learning rate of 1e-300', { train: { lr: 1e-300 } }, 'train.lr', /lr must be ≥ 1e-10/],
  ['an energy temperature of 1e-30', { model: { kind: 'energy-mlp', temperature: 1e-30 } }, 'model.temperature', /≥ 0.0001/],
  ['a finite-difference step of 1e-9', { objective: { kind: 'fd-ssm', step: 1e-9 } }, 'objective.step', /step must be ≥ 0.0001/],
  ['a corrector snr of 1e6', { sampler: { kind: 'predictor-corrector', snr: 1e6 } }, 'sampler.snr', /snr must be ≤ 10/],
  // 10⁶ chains × (10 levels × 10⁵ steps + 1) score evaluations.
  ['sampling that would run for days', { sampler: { kind: 'annealed-langevin', n: 1_000_000, stepsPerLevel: 100_000 } }, 'sampler.stepsPerLevel', /score evaluations .* exceed 8,589,934,592/],
  ['corrector steps past the work bound', { schedule: { kind: 'geometric', levels: 10_000 }, sampler: { kind: 'predictor-corrector', n: 100_000, correctorSteps: 10 } }, 'sampler.correctorSteps', /exceed/],
  ['a trajectory past the sample bound', { sampler: { kind: 'annealed-langevin', n: 10_000, stepsPerLevel: 1, trajectory: { chains: 10_000, frames: 1000 } } }, 'sampler.trajectory.frames', /10,000 chains × 1,000 frames × 2 dimensions exceed 4,194,304/],
  ['samples past the sample bound', { data: mixture(2, 8), sampler: { kind: 'langevin', n: 1_000_000, steps: 1 } }, 'sampler.n', /exceed 4,194,304 numbers/],
  ['a loss logged at every one of 10⁷ steps over 10 levels', { train: { steps: 10_000_000, logEvery: 1 } }, 'train.logEvery', /metric points; raise train\.logEvery/],
  // The default 2-D MLP, 33,794 parameters, kept at each of 10⁷ steps.
  ['a weight snapshot at every one of 10⁷ steps', { train: { steps: 10_000_000, checkpointEvery: 1, logEvery: 1000 } }, 'train.checkpointEvery', /10,000,001 weight snapshots × 33,794 parameters exceed 268,435,456/],
  [
    'a replay buffer past the data bound',
    { model: { kind: 'energy-mlp' }, objective: { kind: 'cd', bufferSize: 1_000_000 }, schedule: { kind: 'geometric', levels: 100 } },
    'objective.bufferSize',
    /1,000,000 chains × 100 levels × 2 dimensions exceed 67,108,864 numbers/,
  ],
  ['a mask wider than any data', { sampler: { kind: 'annealed-langevin', task: { kind: 'inpaint', mask: [true, ...new Array<boolean>(MAX_DATA_DIM).fill(false)] } } }, 'sampler.task.mask', /at most 4096 entries/],
];

for (const [what, input, field, message] of REFUSED)
  test(`refused, naming ${field}: ${what}`, () => {
    const issues = refused(input);
    assert.ok(field in issues, `${field} not among ${JSON.stringify(issues)}`);
    assert.match(issues[field], message);
  });

/** float32 keeps x as a normal number: neither 0 nor subnormal, nor infinite. */
const float32Normal = (x: number) => {
  const f = Math.abs(Math.fround(x));
  return f >= 2 ** -126 && Number.isFinite(f);
};

test('configs drawn within the bounds validate, and every σ², 1/σ², step α and its noise √α is a float32 normal', () => {
  const { length, step } = FLOAT_BOUNDS;
  // exp(log(x)) may land an ulp outside [min, max]: clamped back.
  const logUniform = (min: number, max: number) =>
    fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((v) => Math.min(max, Math.max(min, Math.exp(v))));
  const draw = fc
    .record({
      sigmaMin: logUniform(length.min, length.max / 2),
      spread: fc.double({ min: 1.01, max: 1e9, noNaN: true }),
      levels: fc.integer({ min: 1, max: 20 }),
      spacing: fc.constantFrom('geometric', 'linear', 'quadratic', 'cosine'),
      // ε as a fraction of its largest value: α_1 = ε·σ_1²/σ_L² ≤ the step bound.
      epsShare: fc.double({ min: 0, max: 1, noNaN: true }),
      k: fc.integer({ min: 1, max: 4 }),
      dim: fc.integer({ min: 1, max: 4 }),
      mean: fc.double({ min: -FLOAT_BOUNDS.coordinate.max, max: FLOAT_BOUNDS.coordinate.max, noNaN: true }),
      std: logUniform(length.min, length.max),
      weight: logUniform(1e-6, 1e6),
      n: fc.integer({ min: 1, max: 200 }),
      stepsPerLevel: fc.integer({ min: 1, max: 50 }),
    })
    .map((d) => {
      const sigmaMax = Math.min(length.max, d.sigmaMin * d.spread);
      const largest = Math.min(step.max, (step.max * d.sigmaMin ** 2) / sigmaMax ** 2);
      const eps = Math.max(step.min, largest * d.epsShare);
      return { ...d, sigmaMax, eps };
    });
  fc.assert(
    fc.property(draw, (d) => {
      const input: ExperimentConfigInput = {
        data: {
          kind: 'gaussian-mixture',
          n: 100,
          means: Array.from({ length: d.k }, (_, i) => new Array<number>(d.dim).fill(i === 0 ? d.mean : -d.mean)),
          stds: d.std,
          weights: Array.from({ length: d.k }, (_, i) => (i === 0 ? d.weight : 1)),
        },
        model: { kind: 'analytic' },
        schedule: { kind: d.spacing as 'geometric', sigmaMin: d.sigmaMin, sigmaMax: d.sigmaMax, levels: d.levels },
        train: { batchSize: 16 },
        sampler: { kind: 'annealed-langevin', n: d.n, stepsPerLevel: d.stepsPerLevel, eps: d.eps },
      };
      const parsed = parseExperimentConfig(input);
      assert.ok(parsed.ok, JSON.stringify(parsed));
      const { config } = parsed;
      // The levels and steps the engine builds from it, which its own check at the run's start accepts.
      const schedule = buildSchedule(config);
      assert.deepEqual(sizeIssues(config, knownDataSize(config.data), scheduleSpan(schedule)), []);
      for (const { sigma, alpha } of schedule) {
        assert.ok(float32Normal(sigma ** 2) && float32Normal(1 / sigma ** 2), `σ = ${sigma}`);
        // The spacing's formula may land σ_1 an ulp past σ_max (cosine's tan(arctan σ)).
        assert.ok(float32Normal(alpha) && float32Normal(Math.sqrt(alpha)) && alpha <= step.max * (1 + 1e-9), `α = ${alpha}`);
      }
      assert.ok(config.data.kind === 'gaussian-mixture');
      for (const w of config.data.weights) assert.ok(float32Normal(w) && Number.isFinite(Math.fround(Math.log(Math.fround(w)))), `weight ${w}`);
      for (const s of config.data.stds) assert.ok(float32Normal(s ** 2 + d.sigmaMin ** 2));
      // The counts within the desktop's bounds.
      const dim = config.data.means[0].length;
      assert.ok(config.sampler.n * dim <= SIZE_LIMITS.samples);
      assert.ok(config.sampler.n * (d.levels * d.stepsPerLevel + 1) <= SIZE_LIMITS.chainSteps);
    }),
    { numRuns: 300 },
  );
});

test('a CSV wider than a data point may be is refused from its first row, before the rest is parsed', () => {
  const wide = new Array<string>(100_000).fill('1').join(',');
  // Row 2 is bad too: the width is what is reported, so the rows were not parsed first.
  const text = `\n${wide}\n${wide.replace('1', 'oops')}\n`;
  assert.throws(
    () => parseCsv(text, 'wide.csv'),
    (err: unknown) => err instanceof CsvError && err.line === 2 && err.message === `wide.csv: line 2 has more than ${MAX_DATA_DIM} columns; a data point has at most ${MAX_DATA_DIM} coordinates`,
  );
  // Exactly as wide as allowed is read.
  const widest = parseCsv(`${new Array<string>(MAX_DATA_DIM).fill('0.5').join(',')}\n`, 'widest.csv');
  assert.deepEqual([widest.n, widest.dim], [1, MAX_DATA_DIM]);
});

test('a CSV file larger than the bound is refused, naming data.path, without being read', async () => {
  const file = join(dir, 'huge.csv');
  // A sparse file: as large as it claims, without writing its bytes.
  writeFileSync(file, '1');
  truncateSync(file, MAX_CSV_BYTES + 1);
  await assert.rejects(loadCsv({ path: 'huge.csv' }, dir), (err: unknown) => {
    assert.ok(err instanceof CsvError);
    assert.match(err.message, new RegExp(`\\(data\\.path "huge\\.csv"\\) is ${MAX_CSV_BYTES + 1} bytes; at most ${MAX_CSV_BYTES} bytes are read`));
    return true;
  });
});

test('a run whose samples go non-finite ends failed, naming the set and the first bad coordinate', async () => {
  // The analytic score, no training. At σ_L = 0.05 a Langevin step α = ε = 100 multiplies the
  // distance to a mode by |1 − α/(2(s² + σ²))| ≈ 100 per step: 40 steps overflow float32.
  const config = requireExperimentConfig({
    seed: 1,
    data: { kind: 'gaussian-mixture', n: 200 },
    model: { kind: 'analytic' },
    schedule: { kind: 'geometric', sigmaMin: 0.05, sigmaMax: 1, levels: 2 },
    train: { batchSize: 16 },
    sampler: { kind: 'annealed-langevin', n: 20, stepsPerLevel: 20, eps: 100 },
  });
  const events: RunEvent[] = [];
  const outcome = await runExperiment(config, { baseDir: dir, isCancelled: () => false, emit: (e) => events.push(e) });
  assert.equal(outcome.status, 'failed');
  const failed = events.find((e): e is Extract<RunEvent, { type: 'failed' }> => e.type === 'failed');
  assert.ok(failed);
  assert.match(failed.error, /^sampling diverged: \d+ of 20 samples of 'final' hold non-finite values \(sample \d+, coordinate [01], is (NaN|-?Infinity)\)/);
  assert.equal(failed.step, null);
  assert.ok(!events.some((e) => e.type === 'samples' && e.label === 'final'), 'no final samples are sent');
  assert.ok(!events.some((e) => e.type === 'finished'));
});
