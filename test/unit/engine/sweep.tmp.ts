// TEMPORARY budget sweep harness (deleted before hand-off).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src-main/engine/backend';
import { requireExperimentConfig } from '../../../src-main/common/config';
import { runExperiment } from '../../../src-main/engine/run-experiment';
import { createNetwork } from '../../../src-main/engine/networks';
import { createRng } from '../../../src-main/engine/random';
import { loadDataset } from '../../../src-main/engine/data';
import { buildSchedule } from '../../../src-main/engine/schedules';
import { initialChains, sampleChains } from '../../../src-main/engine/samplers';
import { modeShares } from '../../../src-main/engine/metrics';
import type { NamedTensor } from '../../../src-main/store/store';

async function main() {
  await initBackend();
  const [label, json, seedStr, extraEps] = process.argv.slice(2);
  const input = JSON.parse(json);
  input.seed = Number(seedStr);
  const config = requireExperimentConfig(input);
  let weights: NamedTensor[] = [];
  const t0 = performance.now();
  let trainSeconds = 0;
  const out = await runExperiment(config, { baseDir: '/', isCancelled: () => false, emit: (e) => { if (e.type === 'weights') weights = e.tensors; if (e.type === 'finished') trainSeconds = e.trainSeconds; } });
  const res: Record<string, unknown> = { label, seed: input.seed, err: out.metrics?.modeShareError, shares: out.metrics?.modeShares?.map((s) => +s.share.toFixed(3)), train: +trainSeconds.toFixed(1), total: +((performance.now() - t0) / 1000).toFixed(1) };
  if (extraEps) {
    const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: '/' });
    const net = createNetwork(config.model, data.dim, createRng(0, 'w'));
    net.setWeights(weights);
    for (const eps of extraEps.split(',').map(Number)) {
      const c2 = requireExperimentConfig({ ...input, sampler: { kind: 'annealed-langevin', eps, n: 4000 } });
      const schedule = buildSchedule(c2);
      const init = initialChains(c2.sampler.init, c2.sampler.n, data, schedule[0].sigma, createRng(config.seed, 'si'));
      const samples = await sampleChains(net.score, init, data.dim, schedule, c2.sampler, createRng(config.seed, 'sn'));
      const m = modeShares(samples, data.dim, data.mixture!);
      res[`eps${eps}_n4000`] = { err: +m.modeShareError!.toFixed(3), shares: m.modeShares!.map((s) => +s.share.toFixed(3)) };
    }
    net.dispose();
  }
  console.log(JSON.stringify(res));
  void tf;
}
main();
