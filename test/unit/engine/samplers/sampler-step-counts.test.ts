import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExperimentConfig, samplerStepsPerChain } from '../../../../src-shared/config';
import { SAMPLER_KIND_TRAITS } from '../../../../src-shared/config';
import { sampleChainsSteps } from '../../../../src-main/engine/samplers';

// The config's size check counts a sampler's steps without the engine (common code imports none of
// it); the engine's level loop counts the steps it actually takes. The two must agree for every kind,
// or the bound on chains × steps would admit work the engine cannot finish (or refuse work it can).
test('the config check counts every sampler kind\'s steps per chain as the engine\'s level loop takes them', () => {
  const kinds = Object.keys(SAMPLER_KIND_TRAITS) as (keyof typeof SAMPLER_KIND_TRAITS)[];
  assert.ok(kinds.length >= 5);
  for (const kind of kinds) {
    for (const finalDenoise of [false, true]) {
      const sampler = kind === 'annealed-langevin' || kind === 'langevin' ? { kind, finalDenoise } : { kind };
      const model = kind === 'mala' || kind === 'rwmh' ? { model: { kind: 'analytic' } } : {};
      const parsed = parseExperimentConfig({ ...model, sampler, schedule: { kind: 'geometric', sigmaMin: 0.1, sigmaMax: 5, levels: 7 } });
      assert.ok(parsed.ok, `${kind}: ${JSON.stringify(parsed)}`);
      const config = parsed.config.sampler;
      const sigmas = [5, 2.5, 1.2, 0.6, 0.3, 0.15, 0.1];
      // One chunk of chains: sampleChainsSteps is then the steps of one chain.
      const engineSteps = sampleChainsSteps(config, sigmas, 1);
      const levels = kind === 'langevin' || kind === 'mala' || kind === 'rwmh' ? 1 : sigmas.length;
      assert.equal(samplerStepsPerChain(config, levels), engineSteps, `${kind}, finalDenoise ${finalDenoise}`);
    }
  }
});
