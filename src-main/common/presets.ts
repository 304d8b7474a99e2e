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
  // One per objective: the default experiment with only the objective changed, so runs compare.
  {
    id: 'mixture-esm-ald',
    title: 'Gaussian mixture · explicit score matching',
    description:
      'The default experiment trained with explicit score matching, ½E‖s_θ(x̃, σ) − ∇ log p_σ(x̃)‖², against the closed-form score of the perturbed mixture at each level.',
    config: { objective: { kind: 'esm' } },
  },
  {
    id: 'mixture-ism-ald',
    title: 'Gaussian mixture · implicit score matching',
    description:
      "The default experiment trained with Hyvärinen's implicit score matching, E[tr(∇ₓs_θ) + ½‖s_θ‖²] with the exact Jacobian trace, on the perturbed data at each level.",
    config: { objective: { kind: 'ism' } },
  },
  {
    id: 'mixture-ssm-ald',
    title: 'Gaussian mixture · sliced score matching (SSM-VR)',
    description:
      'The default experiment trained with variance-reduced sliced score matching, E[vᵀ∇ₓ(vᵀs_θ) + ½‖s_θ‖²], one Rademacher projection per sample.',
    config: { objective: { kind: 'ssm' } },
  },
  {
    id: 'mixture-fd-ssm-ald',
    title: 'Gaussian mixture · finite-difference SSM',
    description:
      'The default experiment trained with finite-difference sliced score matching (Pang et al. 2020): vᵀ∇ₓ(vᵀs_θ) as a central difference along v, so no second-order gradient.',
    config: { objective: { kind: 'fd-ssm' } },
  },
  {
    id: 'mixture-noisy-ssm-ald',
    title: 'Gaussian mixture · SSM on noise-perturbed data',
    description:
      "The default experiment trained with sliced score matching on DSM's perturbed data x̃ = x + σ_i·z at each level, one Gaussian projection per sample (variance-reduced).",
    config: { objective: { kind: 'noisy-ssm', projection: 'gaussian' } },
  },
];
