/**
 * Metropolis–Hastings samplers at one noise level σ, for models with a density known up to a
 * constant (ScoreNetwork.logDensity): the Metropolis-adjusted Langevin algorithm (Roberts & Tweedie
 * 1996) and random-walk Metropolis (Metropolis et al. 1953). The accept/reject step makes p_σ exactly
 * invariant, whatever the step size: what unadjusted Langevin only approaches as α → 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { SamplerConfig } from '../../../src-shared/config';
import type { LogDensityFn } from '../networks/types';
import type { Convention } from './annealed-langevin';
import { levelLoop } from './level-loop';
import type { LevelPlan } from './level-loop';
import { samplingLevel } from './state';
import type { SamplerCallback, SamplerContext, SamplerModel } from './types';

export type MalaConfig = Extract<SamplerConfig, { kind: 'mala' }>;
export type RwmhConfig = Extract<SamplerConfig, { kind: 'rwmh' }>;

/** The chain's state with what the next step needs at x, so each step evaluates the model once, at y. */
type ChainState = {
  x: tf.Tensor2D;
  logP: tf.Tensor1D;
  /** ∇log p_σ(x): MALA only. */
  score?: tf.Tensor2D;
};

/** The drift factor c of the convention: the Langevin proposal is x + c·α·s + √(2cα)·z. */
function driftFactor(convention: Convention): number {
  return convention === 'half' ? 0.5 : 1;
}

/**
 * log q(y | x) of the Langevin proposal N(x + c·α·s(x), 2cα·I), dropping the constant (it cancels
 * in the ratio): −‖y − x − c·α·s(x)‖² / (4cα). Per row, [n].
 */
export function langevinProposalLogDensity(y: tf.Tensor2D, x: tf.Tensor2D, scoreAtX: tf.Tensor2D, alpha: number, convention: Convention): tf.Tensor1D {
  const c = driftFactor(convention);
  return tf.tidy(() => tf.div(tf.sum(tf.square(tf.sub(y, tf.add(x, tf.mul(scoreAtX, c * alpha)))), 1), -4 * c * alpha) as tf.Tensor1D);
}

/**
 * MALA's log acceptance ratio of y from x (Roberts & Tweedie 1996):
 * log p(y) − log p(x) + log q(x | y) − log q(y | x). Per row, [n].
 */
export function malaLogAcceptance(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  logPx: tf.Tensor1D,
  logPy: tf.Tensor1D,
  scoreX: tf.Tensor2D,
  scoreY: tf.Tensor2D,
  alpha: number,
  convention: Convention,
): tf.Tensor1D {
  return tf.tidy(() =>
    tf.add(
      tf.sub(logPy, logPx),
      tf.sub(langevinProposalLogDensity(x, y, scoreY, alpha, convention), langevinProposalLogDensity(y, x, scoreX, alpha, convention)),
    ) as tf.Tensor1D,
  );
}

/** Keeps row j of the proposal where `accept` (log u_j < log a_j), else the current row; the chain's new state. */
function acceptRows(current: ChainState, proposal: ChainState, accept: tf.Tensor1D): ChainState {
  return tf.tidy(() => {
    const rows = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.where(tf.tile(tf.expandDims(accept, 1), [1, a.shape[1]]), a, b) as tf.Tensor2D;
    return {
      x: rows(proposal.x, current.x),
      logP: tf.where(accept, proposal.logP, current.logP) as tf.Tensor1D,
      score: proposal.score && current.score ? rows(proposal.score, current.score) : undefined,
    };
  });
}

function requireDensity(model: SamplerModel, kind: string): LogDensityFn {
  if (!model.logDensity) throw new Error(`sampler.kind ${kind} needs a model with a density known up to a constant; this model gives only a score`);
  return model.logDensity;
}

/** What distinguishes one Metropolis–Hastings sampler from another, at a fixed σ. */
interface Kernel {
  /** The chain's state at x: its log-density, and what the proposal needs. */
  at(x: tf.Tensor2D): ChainState;
  /** The proposal y from the state and the noise z ~ N(0, I). */
  propose(state: ChainState, z: tf.Tensor2D): tf.Tensor2D;
  logAcceptance(current: ChainState, proposal: ChainState): tf.Tensor1D;
}

/**
 * The Metropolis–Hastings steps both samplers share, at one level σ (`sigma`, default the smallest
 * of `sigmas`): `steps` times, propose y, accept each row where log u < log a, u ~ U(0, 1) per
 * chain. Progress reports the fraction of proposals accepted so far.
 */
function metropolisHastings(
  model: SamplerModel,
  kind: string,
  x0: tf.Tensor2D,
  sigmas: number[],
  options: { steps: number; sigma?: number; stepSize: number } & SamplerContext,
  kernel: (model: SamplerModel, logDensity: LogDensityFn, sigma: tf.Tensor2D) => Kernel,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  requireDensity(model, kind);
  // The schema refuses inpainting with these samplers: a constraint would break detailed balance.
  if (options.hooks?.constrain) throw new Error('Metropolis–Hastings samplers cannot keep coordinates fixed (inpainting)');
  const { level, sigma } = samplingLevel(sigmas, options.sigma);
  const { rng } = options;
  const [n, dim] = x0.shape;
  const noise = new Float32Array(n * dim);
  const logU = new Float32Array(n);
  let proposed = 0;
  /** Proposals accepted so far, counted on the device: read only when stats are asked for. */
  let accepted: tf.Scalar | null = null;
  const plan = (counted: SamplerModel): LevelPlan => {
    // The state beside x (its log-density and score), from the first step on; the loop holds x.
    let state: ChainState | null = null;
    let kernelAt: Kernel | null = null;
    return {
      stepsPerLevel: options.steps,
      step: (x, { sigmaTensor }) => {
        const { at, propose, logAcceptance } = (kernelAt ??= kernel(counted, requireDensity(counted, kind), sigmaTensor));
        const current = (state ??= tf.tidy(() => at(x)));
        rng.normals(n * dim, noise);
        for (let j = 0; j < n; j++) logU[j] = Math.log(rng.uniform());
        const next = tf.tidy(() => {
          const proposal = at(propose(current, tf.tensor2d(noise, [n, dim])));
          const accept = tf.less(tf.tensor1d(logU), logAcceptance(current, proposal)) as tf.Tensor1D; // [n]: a ≥ 1 always accepts, as log u < 0
          const total = tf.keep(tf.add(accepted ?? 0, tf.sum(tf.cast(accept, 'float32'))) as tf.Scalar);
          accepted?.dispose();
          accepted = total;
          return acceptRows(current, proposal, accept);
        });
        proposed += n;
        tf.dispose([current.logP, ...(current.score ? [current.score] : [])]);
        state = next;
        return next.x;
      },
      stats: async () => ({ acceptanceRate: proposed > 0 && accepted ? (await accepted.data())[0] / proposed : 0, stepSize: options.stepSize }),
      dispose: () => {
        accepted?.dispose();
        if (state) tf.dispose([state.logP, ...(state.score ? [state.score] : [])]);
      },
    };
  };
  return levelLoop(model, x0, [sigma], { firstLevel: level }, plan, callback);
}

/** MALA's step α = ε at whichever σ it runs (the schedule table shows it at each). */
export function malaStepSizes(config: Pick<MalaConfig, 'eps'>, sigmas: number[]): number[] {
  return sigmas.map(() => config.eps);
}

/**
 * RWMH takes no Langevin step: the schedule table records its proposal's variance τ² (a 'full'
 * Langevin step α proposes with variance 2α).
 */
export function rwmhStepSizes(config: Pick<RwmhConfig, 'proposalStd'>, sigmas: number[]): number[] {
  return sigmas.map(() => config.proposalStd ** 2);
}

/**
 * MALA at one σ: proposal y = x + c·α·s(x) + √(2cα)·z (c = ½ for 'half', 1 for 'full'; α = `eps`),
 * accepted with probability min(1, exp(malaLogAcceptance)).
 */
export function mala(
  model: SamplerModel,
  x0: tf.Tensor2D,
  sigmas: number[],
  options: Pick<MalaConfig, 'steps' | 'eps' | 'sigma' | 'convention'> & SamplerContext,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  const { eps: alpha, convention } = options;
  const c = driftFactor(convention);
  return metropolisHastings(
    model,
    'mala',
    x0,
    sigmas,
    { ...options, stepSize: alpha },
    (counted, logDensity, sigma) => ({
      at: (x) => ({ x, logP: logDensity(x, sigma), score: counted.score(x, sigma) }),
      propose: (s, z) => tf.add(tf.add(s.x, tf.mul(s.score!, c * alpha)), tf.mul(z, Math.sqrt(2 * c * alpha))) as tf.Tensor2D,
      logAcceptance: (cur, prop) => malaLogAcceptance(cur.x, prop.x, cur.logP, prop.logP, cur.score!, prop.score!, alpha, convention),
    }),
    callback,
  );
}

/** Random-walk Metropolis at one σ: y = x + τ·z (τ = `proposalStd`), accepted with min(1, p(y)/p(x)). */
export function rwmh(
  model: SamplerModel,
  x0: tf.Tensor2D,
  sigmas: number[],
  options: Pick<RwmhConfig, 'steps' | 'proposalStd' | 'sigma'> & SamplerContext,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  return metropolisHastings(
    model,
    'rwmh',
    x0,
    sigmas,
    { ...options, stepSize: options.proposalStd },
    (_counted, logDensity, sigma) => ({
      at: (x) => ({ x, logP: logDensity(x, sigma) }),
      propose: (s, z) => tf.add(s.x, tf.mul(z, options.proposalStd)) as tf.Tensor2D,
      // The proposal is symmetric: q(x | y) = q(y | x) cancels.
      logAcceptance: (cur, prop) => tf.sub(prop.logP, cur.logP) as tf.Tensor1D,
    }),
    callback,
  );
}
