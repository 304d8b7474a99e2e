/**
 * Why samplers anneal (Song & Ermon 2019, §3.2): on the analytic score of the mixture
 * 0.8·N((5,5), I) + 0.2·N((−5,−5), I), chains started uniformly on [−8,8]², annealed Langevin
 * recovers the weights within 0.05, while Langevin at the smallest σ alone leaves each chain in the
 * basin it started in: its share of (5,5) is the share of the box on that mode's side of the
 * boundary between the modes, not 0.8.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mixture } from '../../../../src-main/engine/data/types';
import { modeShares } from '../../../../src-main/engine/metrics';
import { createAnalytic } from '../../../../src-main/engine/networks/analytic';
import { createRng } from '../../../../src-main/engine/random';
import { sampleChains } from '../../../../src-main/engine/samplers';
import { assertClose, useEngineBackend } from '../helpers';
import { STANDARD_ERRORS } from './sampler-helpers';

useEngineBackend();

const MIXTURE: Mixture = { means: [[5, 5], [-5, -5]], stds: [1, 1], weights: [0.8, 0.2] };
const N = 1000;
// Geometric σ from 20 (the modes' distance, ≈ 14, is well inside it: NCSNv2's σ_1 rule) to 0.1,
// 20 levels × 200 steps, ε = 2·10⁻³. A smaller budget under-weights the heavy mode, as the chains
// stop crossing between the modes before they are in balance; on 4000 chains, the share of (5,5)
// was 0.767 with 10 levels × 100 steps (ε = 10⁻³), 0.790 with 10 × 300, 0.804 with this budget.
const SIGMAS = Array.from({ length: 20 }, (_, i) => 20 * (0.1 / 20) ** (i / 19));
const EPS = 2e-3;

/** Chains uniform on [−8, 8]². */
function uniformBox(seed: number): Float32Array {
  const rng = createRng(seed, 'box');
  return Float32Array.from({ length: N * 2 }, () => -8 + 16 * rng.uniform());
}

/**
 * The share of the box [−8, 8]² on (5,5)'s side of the boundary where the components' posterior
 * weights are equal: 0.8·N(x; μ₁, I) = 0.2·N(x; μ₂, I) ⇔ x·(μ₁ − μ₂) = −log 4 ⇔ x + y = c with
 * c = −log(4)/10. For u = x + y, the sum of two U(−8, 8), P(u ≤ c) = (16 + c)²/512 when c ≤ 0.
 */
const BASIN_SHARE = 1 - (16 - Math.log(4) / 10) ** 2 / 512;

test('annealed Langevin recovers the mixture weights within 0.05; Langevin at σ_L alone keeps the initial basins', async (t) => {
  const score = createAnalytic({ kind: 'analytic' }, 2, createRng(0, 'unused'), { mixture: MIXTURE });
  const annealed = await sampleChains(score, uniformBox(1), SIGMAS, {
    config: { kind: 'annealed-langevin', stepsPerLevel: 200, eps: EPS, convention: 'half', finalDenoise: true, n: N, init: 'uniform-data-box' },
    dim: 2,
    rng: createRng(2, 'annealed'),
  });
  const plain = await sampleChains(score, uniformBox(1), SIGMAS, {
    config: { kind: 'langevin', steps: 1000, eps: 0.05, convention: 'half', finalDenoise: true, n: N, init: 'uniform-data-box' },
    dim: 2,
    rng: createRng(2, 'plain'),
  });
  const [a, p] = [modeShares(annealed, 2, MIXTURE), modeShares(plain, 2, MIXTURE)];
  t.diagnostic(`annealed shares ${a.modeShares!.map((s) => s.share).join(', ')}; plain ${p.modeShares!.map((s) => s.share).join(', ')}; basin share ${BASIN_SHARE.toFixed(4)}`);

  assert.ok(a.modeShareError! <= 0.05, `annealed: share error ${a.modeShareError}`);
  assert.ok(p.modeShareError! > 0.2, `plain: share error ${p.modeShareError}`);
  // Binomial standard error of a share over N chains.
  const se = Math.sqrt((BASIN_SHARE * (1 - BASIN_SHARE)) / N);
  assertClose(p.modeShares![0].share, BASIN_SHARE, STANDARD_ERRORS * se, 'plain Langevin share of (5,5)');
});
