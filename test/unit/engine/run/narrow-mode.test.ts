/**
 * The `mixture-narrow-mode` preset's mixture (wide modes N((−5,−5), 1) and N((5,5), 1), weight 0.45
 * each, beside a narrow one N((5,−5), 0.1²), weight 0.1), trained with the config's defaults for
 * everything that shapes the fit (model.init 'pytorch', train.lrSchedule 'constant', train.ema
 * 0.99, train.lr, the schedule and the sampler), at a smaller budget than the default. Glorot
 * initialisation with a cosine-decayed lr sampled the narrow mode at a fifth to a third of its
 * weight and left 6–9% of the samples off the support (README, "Narrow modes"). Deterministic
 * given the seed; at this budget seeds 0, 1, 2 gave narrow shares 0.142, 0.138, 0.124 and 3.0%,
 * 2.8%, 5.0% off the support (without the weights' average, train.ema 0: 0.124, 0.140, 0.070 and
 * 2.6%, 3.0%, 2.8%). At the default 2000 steps, seed 0 still gives 0.142 with 500 samples.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../../src-shared/config';
import type { ExperimentConfigInput } from '../../../../src-shared/config';
import { NARROW_MODE_MIXTURE } from '../../../../src-shared/presets';
import { runExperiment } from '../../../../src-main/engine/run/run-experiment';
import { useEngineBackend } from '../helpers';

useEngineBackend();

const NARROW_WEIGHT = NARROW_MODE_MIXTURE.weights[2];

const BUDGET: ExperimentConfigInput = {
  seed: 0,
  data: NARROW_MODE_MIXTURE,
  train: { steps: 1000 },
  sampler: { kind: 'annealed-langevin', n: 500 },
};

test('with the default init and lr schedule the narrow, light mode is sampled near its weight, and few samples fall off the support', async (t) => {
  const outcome = await runExperiment(requireExperimentConfig(BUDGET), { baseDir: '/', isCancelled: () => false, emit: () => undefined });
  assert.equal(outcome.status, 'completed', outcome.error);
  const { modeShares, offSupport } = outcome.metrics!;
  t.diagnostic(`shares ${JSON.stringify(modeShares)}, off support ${offSupport}`);
  const narrow = modeShares![2].share;
  assert.ok(Math.abs(narrow - NARROW_WEIGHT) <= 0.05, `narrow mode: share ${narrow}, weight ${NARROW_WEIGHT}`);
  assert.ok(offSupport! <= 0.05, `off support: ${offSupport}`);
});
