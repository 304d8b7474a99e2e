/**
 * Built-in experiment presets: the server answers `listPresets` with these, and the UI's
 * "New experiment" form starts from one. Each config is an ExperimentConfigInput, so omitted
 * fields take the schema's documented defaults (see config.ts).
 */
import type { Preset } from './api';

export const PRESETS: Preset[] = [
  {
    id: 'mixture-dsm-ald',
    title: 'Gaussian mixture · NCSN (DSM + annealed Langevin)',
    description:
      'The default 3-mode 2-D Gaussian mixture, an MLP score network trained with denoising score matching over a geometric noise schedule, sampled with annealed Langevin dynamics.',
    config: {},
  },
  {
    id: 'mixture-dsm-ald-quick',
    title: 'Gaussian mixture · NCSN, quick demo',
    description: 'The same experiment with a small budget (300 steps, a small network, 500 samples): finishes in seconds.',
    config: {
      model: { kind: 'mlp', hidden: [64, 64] },
      train: { steps: 300, batchSize: 128 },
      sampler: { kind: 'annealed-langevin', n: 500, stepsPerLevel: 50 },
    },
  },
];
