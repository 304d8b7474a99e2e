/**
 * Built-in experiment presets: the server answers `listPresets` with these, and the UI's
 * "New experiment" form starts from one. Each config is an ExperimentConfigInput, so omitted
 * fields take the schema's documented defaults (see config.ts).
 */
import type { Preset } from './api';
import type { ExperimentConfigInput, TOY_DATA_KINDS } from './config';

/** The `mixture-narrow-mode` preset's data (README, "Narrow modes"); the narrow mode is the last. */
export const NARROW_MODE_MIXTURE = {
  kind: 'gaussian-mixture',
  means: [
    [-5, -5],
    [5, 5],
    [5, -5],
  ],
  stds: [1, 1, 0.1],
  weights: [0.45, 0.45, 0.1],
} as const satisfies ExperimentConfigInput['data'];

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
  {
    id: 'mixture-narrow-mode',
    title: 'Gaussian mixture with a narrow, light mode',
    description:
      'Two wide modes (std 1, weight 0.45 each) at (−5, −5) and (5, 5) beside a narrow, light one (std 0.1, weight 0.1) at (5, −5), every other setting the default: the narrow mode is the one a poorly fitted score loses.',
    config: { data: NARROW_MODE_MIXTURE },
  },
  // One per 2-D toy, all with the same NCSN recipe so that they compare: the toys span about
  // [−3, 3]², so σ runs from 0.02 (below their noise) to 5 (about their diameter). The moons span
  // [−1, 2] × [−0.5, 1]: over 0.05 → 3 their MMD² measured 4.9·10⁻³ against 1.3·10⁻² over 0.02 → 5.
  toyPreset('two-moons', 'Two moons', 'Two interleaved half circles of radius 1 with Gaussian noise 0.1.', { sigmaMin: 0.05, sigmaMax: 3 }),
  toyPreset('swiss-roll', 'Swiss roll', 'One and a half turns of the spiral (t·cos t, t·sin t)/5 with Gaussian noise 0.2.'),
  toyPreset('rings', 'Concentric rings', 'Circles of radius 1, 2 and 3, points spread evenly along them, Gaussian noise 0.08.'),
  toyPreset('checkerboard', 'Checkerboard', 'Uniform on the 8 dark squares of a 4 × 4 board of unit squares: sharp edges, no noise.'),
  toyPreset('spirals', 'Two spirals', 'Two Archimedean spirals turned half a turn apart, Gaussian noise 0.1.'),
  toyPreset('pinwheel', 'Pinwheel', 'Five curled Gaussian arms at radius 2.'),
  // Samplers on the analytic score of the default mixture (model.kind analytic: no training), so
  // each sampler is seen on its own; and predictor–corrector on a trained network.
  {
    id: 'mixture-analytic-ald',
    title: 'Gaussian mixture · exact score, annealed Langevin',
    description:
      'Annealed Langevin dynamics on the closed-form score ∇log p_σ of the default mixture at each level: no training, so what the samples show is the sampler alone. With its trajectory (200 chains, 50 frames).',
    config: { model: { kind: 'analytic' }, sampler: { kind: 'annealed-langevin', trajectory: { chains: 200, frames: 50 } } },
  },
  {
    id: 'mixture-analytic-langevin',
    title: 'Gaussian mixture · exact score, plain Langevin',
    description:
      'Langevin dynamics at the smallest σ only, 1000 steps of α = 0.01, on the exact score: each chain stays in the mode whose basin it starts in, so the mode shares follow the starting box, not the weights. Compare with the annealed preset; the trajectory shows why.',
    config: {
      model: { kind: 'analytic' },
      sampler: { kind: 'langevin', steps: 1000, eps: 0.01, trajectory: { chains: 200, frames: 50 } },
    },
  },
  {
    id: 'mixture-analytic-pc',
    title: 'Gaussian mixture · exact score, predictor–corrector',
    description:
      'Predictor–corrector sampling of the VE SDE (Song et al. 2021): reverse-diffusion predictor over 100 geometric levels, one Langevin corrector step per level with snr 0.16, from N(mean, σ_max²I), on the exact score.',
    config: {
      model: { kind: 'analytic' },
      schedule: { kind: 'geometric', levels: 100 },
      sampler: { kind: 'predictor-corrector', snr: 0.16, correctorSteps: 1 },
    },
  },
  {
    id: 'mixture-analytic-mala',
    title: 'Gaussian mixture · exact density, MALA',
    description:
      'Metropolis-adjusted Langevin at the smallest σ on the mixture’s closed-form density: exact for p_σ whatever the step, but a single-level chain does not cross between modes 8 apart, so the shares follow the starting box.',
    config: { model: { kind: 'analytic' }, sampler: { kind: 'mala', steps: 1000, eps: 0.05 } },
  },
  {
    id: 'mixture-analytic-rwmh',
    title: 'Gaussian mixture · exact density, random-walk Metropolis–Hastings',
    description:
      'Random-walk Metropolis–Hastings (proposal std 0.5) at the smallest σ on the mixture’s closed-form density; like MALA, exact but confined to the mode each chain starts near.',
    config: { model: { kind: 'analytic' }, sampler: { kind: 'rwmh', steps: 1000, proposalStd: 0.5 } },
  },
  {
    id: 'mixture-analytic-inpaint',
    title: 'Gaussian mixture · inpainting (keep x, sample y)',
    description:
      'Annealed Langevin on the exact score with the first coordinate of a training point kept (NCSN-style: at each level it is the point’s x plus σ_i noise, at the end x itself) and the second sampled from its conditional. The references are stored as “inpaint/reference”.',
    config: { model: { kind: 'analytic' }, sampler: { kind: 'annealed-langevin', task: { kind: 'inpaint', mask: [true, false] } } },
  },
  {
    id: 'mixture-analytic-interpolate',
    title: 'Gaussian mixture · interpolation between samples',
    description:
      'Annealed Langevin on the exact score, then 8 paths of 10 points between pairs of its samples: each point is the pair’s linear mix plus σ_m times the spherical interpolation of two noise draws, annealed back from the middle level. The paths are stored as “interpolation”.',
    config: { model: { kind: 'analytic' }, sampler: { kind: 'annealed-langevin', task: { kind: 'interpolate', pairs: 8, points: 10 } } },
  },
  {
    id: 'mixture-dsm-pc',
    title: 'Gaussian mixture · DSM + predictor–corrector',
    description:
      'The default experiment trained with denoising score matching over 100 geometric levels, sampled with predictor–corrector (reverse diffusion, one Langevin corrector step at snr 0.16 per level) from N(mean, σ_max²I).',
    config: {
      schedule: { kind: 'geometric', levels: 100 },
      sampler: { kind: 'predictor-corrector', snr: 0.16, correctorSteps: 1 },
    },
  },
  {
    id: 'mnist-unet-dsm',
    title: 'MNIST · U-Net, NCSN (DSM + annealed Langevin)',
    description:
      "8,000 MNIST digits from the mnist package (the 1,996 test-split digits held out for FID and KID), a small noise-conditional U-Net (28 → 14 → 7, 8/16/32 channels, FiLM σ conditioning) trained with denoising score matching over NCSN's 10 geometric levels σ 1 → 0.01, sampled with annealed Langevin from N(mean, σ_max²·I). A few minutes' budget on a CPU: expect fragments of strokes, not NCSN's digits.",
    config: {
      data: { kind: 'mnist', n: 8000 },
      model: { kind: 'unet', channels: [8, 16, 32] },
      objective: { kind: 'dsm' },
      schedule: { kind: 'geometric', sigmaMin: 0.01, sigmaMax: 1, levels: 10 },
      train: { steps: 400, batchSize: 64, lr: 2e-3, lrSchedule: 'cosine', logEvery: 10, checkpointEvery: 100 },
      sampler: { kind: 'annealed-langevin', n: 500, stepsPerLevel: 20, eps: 2e-5, init: 'gaussian-sigma-max' },
    },
  },
  // The NCSNv2 techniques and the data-driven schedules (schedule kinds ncsnv2 and adaptive).
  {
    id: 'mixture-ncsnv2',
    title: 'Gaussian mixture · NCSNv2 recipe (σ_max from the data, FiLM, EMA)',
    description:
      "The default mixture with NCSNv2's techniques: σ_1 the data's largest pairwise distance, 10 geometric levels down to 0.05 (in 2-D the ratio rule picks no number, so it is given), σ entering every hidden layer by FiLM, s_θ = f_θ/σ, and sampling with an exponential moving average of the weights (rate 0.99).",
    config: {
      model: { kind: 'mlp', conditioning: 'film' },
      schedule: { kind: 'ncsnv2', sigmaMin: 0.05, levels: 10 },
      train: { ema: 0.99 },
    },
  },
  {
    id: 'two-moons-adaptive',
    title: 'Two moons · noise levels from the data (adaptive)',
    description:
      'Two moons with its σ range read off the data instead of set by hand: σ_max the largest pairwise distance, σ_min the 0.1th percentile of the pairwise distances, 10 geometric levels between; DSM and annealed Langevin as in the toy presets.',
    config: {
      data: { kind: 'two-moons' },
      schedule: { kind: 'adaptive', lowPercentile: 0.1, highPercentile: 100, levels: 10, spacing: 'geometric' },
      train: { steps: 2000, batchSize: 256 },
      sampler: { kind: 'annealed-langevin', n: 1000, stepsPerLevel: 100 },
    },
  },
  // Energy-based models on the default mixture: the same data, schedule and sampler as the
  // objective presets, with an energy network E_θ whose score is −∇ₓE_θ/τ.
  {
    id: 'mixture-ebm-dsm-ald',
    title: 'Gaussian mixture · energy model by DSM',
    description:
      'An energy network E_θ(x, σ) (the MLP with one output, p_σ ∝ exp(−E_θ/τ)) trained by denoising score matching through its score −∇ₓE_θ/τ, a second derivative in training; sampled with annealed Langevin dynamics.',
    config: { model: { kind: 'energy-mlp' }, objective: { kind: 'dsm' } },
  },
  {
    id: 'mixture-ebm-dsm-mala',
    title: 'Gaussian mixture · energy model by DSM, MALA sampling',
    description:
      'The DSM-trained energy network sampled with Metropolis-adjusted Langevin at the smallest σ, which its log-density −E_θ/τ makes possible. One level only: chains cannot cross between modes, so the mode shares follow where they start and the energy away from the data (fitted only near it at the smallest σ), not the weights.',
    config: { model: { kind: 'energy-mlp' }, objective: { kind: 'dsm' }, sampler: { kind: 'mala' } },
  },
  {
    id: 'mixture-ebm-cd-ald',
    title: 'Gaussian mixture · energy model by contrastive divergence',
    description:
      'An energy network (2 × 64) trained by contrastive divergence at every noise level: E_θ(x̃) − E_θ(x⁻) + 0.1·(E_θ(x̃)² + E_θ(x⁻)²), negatives from 10 Langevin steps on the model from a persistent replay buffer (128 chains per level, 5% restarted from uniform noise); sampled with annealed Langevin dynamics.',
    config: {
      model: { kind: 'energy-mlp', hidden: [64, 64] },
      objective: { kind: 'cd', langevinSteps: 10, bufferSize: 128 },
      train: { batchSize: 128 },
    },
  },
  {
    id: 'mixture-ebm-cd-mala',
    title: 'Gaussian mixture · energy model by contrastive divergence, MALA sampling',
    description: 'The contrastive-divergence energy network sampled with Metropolis-adjusted Langevin at the smallest σ (see the DSM energy model with MALA).',
    config: {
      model: { kind: 'energy-mlp', hidden: [64, 64] },
      objective: { kind: 'cd', langevinSteps: 10, bufferSize: 128 },
      train: { batchSize: 128 },
      sampler: { kind: 'mala' },
    },
  },
];

/** NCSN on a toy: DSM over a geometric schedule, annealed Langevin; 2000 steps and 1000 samples, like the mixture presets. */
function toyPreset(
  kind: (typeof TOY_DATA_KINDS)[number],
  title: string,
  description: string,
  { sigmaMin, sigmaMax } = { sigmaMin: 0.02, sigmaMax: 5 },
): Preset {
  return {
    id: `${kind}-dsm-ald`,
    title: `${title} · NCSN (DSM + annealed Langevin)`,
    description: `${description} An MLP score network trained with denoising score matching over 10 geometric noise levels (σ ${sigmaMin} → ${sigmaMax}), sampled with annealed Langevin dynamics.`,
    config: {
      data: { kind },
      objective: { kind: 'dsm' },
      schedule: { kind: 'geometric', sigmaMin, sigmaMax, levels: 10 },
      train: { steps: 2000, batchSize: 256 },
      sampler: { kind: 'annealed-langevin', n: 1000, stepsPerLevel: 100 },
    },
  };
}
