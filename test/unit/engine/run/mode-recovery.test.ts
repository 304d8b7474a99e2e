/**
 * End to end on the default mixture (modes (4,4), (−4,4), (0,−4), std 0.7, weights 0.5/0.3/0.2;
 * geometric σ 10 → 0.05 over 10 levels; annealed Langevin with ε = 2.5e-4, 100 steps per level,
 * 1000 chains): the samples must put each mode's share within 0.05 of its weight.
 *
 * The budget below is the smallest found that does so reliably: over seeds 0–19 every run passed
 * (largest error 0.039). Halving the steps, the batch or the width, or dropping a layer, failed
 * for some seeds. See the engine report for the search. (That search drew Glorot-initialised
 * weights and kept no weights' average; with today's defaults, model.init 'pytorch' and train.ema
 * 0.99, seed 0 errs by 0.017.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../../src-shared/config';
import type { ExperimentConfigInput } from '../../../../src-shared/config';
import { runExperiment } from '../../../../src-main/engine/run/run-experiment';
import { useEngineBackend } from '../helpers';

useEngineBackend();

const SMALLEST_RELIABLE_BUDGET: ExperimentConfigInput = {
  seed: 0,
  model: { kind: 'mlp', hidden: [32, 32, 32] },
  train: { steps: 2000, batchSize: 256, lr: 1e-2, lrSchedule: 'cosine' },
};

async function modeShares(input: ExperimentConfigInput) {
  const outcome = await runExperiment(requireExperimentConfig(input), { baseDir: '/', isCancelled: () => false, emit: () => undefined });
  assert.equal(outcome.status, 'completed', outcome.error);
  return outcome.metrics!;
}

test('a small budget recovers every mode’s weight within 0.05', async (t) => {
  const metrics = await modeShares(SMALLEST_RELIABLE_BUDGET);
  t.diagnostic(`shares ${JSON.stringify(metrics.modeShares)}`);
  assert.equal(metrics.n, 1000);
  for (const [k, { share, weight }] of metrics.modeShares!.entries())
    assert.ok(Math.abs(share - weight) <= 0.05, `mode ${k}: share ${share}, weight ${weight} (all: ${JSON.stringify(metrics.modeShares)})`);
});

test(
  'the config defaults recover every mode’s weight within 0.05',
  { skip: process.env.SCOREBENCH_SLOW_TESTS ? false : 'about 30 s; set SCOREBENCH_SLOW_TESTS=1' },
  async (t) => {
    const metrics = await modeShares({});
    t.diagnostic(`shares ${JSON.stringify(metrics.modeShares)}`);
    for (const [k, { share, weight }] of metrics.modeShares!.entries())
      assert.ok(Math.abs(share - weight) <= 0.05, `mode ${k}: share ${share}, weight ${weight}`);
  },
);
