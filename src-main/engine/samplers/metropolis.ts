/**
 * Metropolis–Hastings samplers at one noise level σ, for models with a density known up to a
 * constant (ScoreNetwork.logDensity): the Metropolis-adjusted Langevin algorithm (Roberts & Tweedie
 * 1996) and random-walk Metropolis (Metropolis et al. 1953). The accept/reject step makes p_σ exactly
 * invariant, whatever the step size: what unadjusted Langevin only approaches as α → 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../common/api';
import type { SamplerConfig } from '../../common/config';
import type { LogDensityFn } from '../networks/types';
import type { Rng } from '../random';
import type { Convention } from './annealed-langevin';
import { samplingLevel } from './state';
import type { SamplerCallback, SamplerHooks, SamplerModel } from './types';

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

/** Keeps row j of the proposal where log u_j < log a_j, else the current row; the chain's new state. */
function acceptRows(current: ChainState, proposal: ChainState, logAcceptance: tf.Tensor1D, logU: tf.Tensor1D): ChainState {
  return tf.tidy(() => {
    const accept = tf.less(logU, logAcceptance); // [n]: a ≥ 1 always accepts, as log u < 0
    const rows = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.where(tf.tile(tf.expandDims(accept, 1), [1, a.shape[1]]), a, b) as tf.Tensor2D;
    return {
      x: rows(proposal.x, current.x),
      logP: tf.where(accept, proposal.logP, current.logP) as tf.Tensor1D,
      score: proposal.score && current.score ? rows(proposal.score, current.score) : undefined,
    };
  });
}

function disposeState(state: ChainState): void {
  tf.dispose([state.x, state.logP, ...(state.score ? [state.score] : [])]);
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
 * The Metropolis–Hastings loop both samplers share, at one level σ (`sigma`, default the
 * smallest): `steps` times, propose y, accept each row where log u < log a, u ~ U(0, 1) per chain.
 */
async function metropolisHastings(
  model: SamplerModel,
  kind: string,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: { steps: number; sigma?: number },
  rng: Rng,
  kernel: (logDensity: LogDensityFn, sigma: tf.Tensor2D) => Kernel,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  const logDensity = requireDensity(model, kind);
  // The schema refuses inpainting with these samplers: a constraint would break detailed balance.
  if (hooks?.constrain) throw new Error('Metropolis–Hastings samplers cannot keep coordinates fixed (inpainting)');
  const level = samplingLevel(levels, config.sigma);
  const sigma = tf.tensor2d([[level.sigma]]);
  const { at, propose, logAcceptance } = kernel(logDensity, sigma);
  const [n, dim] = x0.shape;
  const noise = new Float32Array(n * dim);
  const logU = new Float32Array(n);
  let state = tf.tidy(() => at(tf.clone(x0)));
  try {
    for (let t = 0; t < config.steps; t++) {
      rng.normals(n * dim, noise);
      for (let j = 0; j < n; j++) logU[j] = Math.log(rng.uniform());
      const current = state;
      const next = tf.tidy(() => {
        const proposal = at(propose(current, tf.tensor2d(noise, [n, dim])));
        return acceptRows(current, proposal, logAcceptance(current, proposal), tf.tensor1d(logU));
      });
      disposeState(current);
      state = next;
      await callback?.({ done: t + 1, total: config.steps, level: level.level, sigma: level.sigma, x: state.x });
    }
    const { x } = state;
    tf.dispose([state.logP, ...(state.score ? [state.score] : [])]);
    return x;
  } catch (err) {
    disposeState(state);
    throw err;
  } finally {
    sigma.dispose();
  }
}

/**
 * MALA at one σ: proposal y = x + c·α·s(x) + √(2cα)·z (c = ½ for 'half', 1 for 'full'; α = `eps`),
 * accepted with probability min(1, exp(malaLogAcceptance)).
 */
export function mala(
  model: SamplerModel,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: Pick<MalaConfig, 'steps' | 'eps' | 'sigma' | 'convention'>,
  rng: Rng,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  const { eps: alpha, convention } = config;
  const c = driftFactor(convention);
  return metropolisHastings(
    model,
    'mala',
    x0,
    levels,
    config,
    rng,
    (logDensity, sigma) => ({
      at: (x) => ({ x, logP: logDensity(x, sigma), score: model.score(x, sigma) }),
      propose: (s, z) => tf.add(tf.add(s.x, tf.mul(s.score!, c * alpha)), tf.mul(z, Math.sqrt(2 * c * alpha))) as tf.Tensor2D,
      logAcceptance: (cur, prop) => malaLogAcceptance(cur.x, prop.x, cur.logP, prop.logP, cur.score!, prop.score!, alpha, convention),
    }),
    callback,
    hooks,
  );
}

/** Random-walk Metropolis at one σ: y = x + τ·z (τ = `proposalStd`), accepted with min(1, p(y)/p(x)). */
export function rwmh(
  model: SamplerModel,
  x0: tf.Tensor2D,
  levels: ScheduleLevel[],
  config: Pick<RwmhConfig, 'steps' | 'proposalStd' | 'sigma'>,
  rng: Rng,
  callback?: SamplerCallback,
  hooks?: SamplerHooks,
): Promise<tf.Tensor2D> {
  return metropolisHastings(
    model,
    'rwmh',
    x0,
    levels,
    config,
    rng,
    (logDensity, sigma) => ({
      at: (x) => ({ x, logP: logDensity(x, sigma) }),
      propose: (s, z) => tf.add(s.x, tf.mul(z, config.proposalStd)) as tf.Tensor2D,
      // The proposal is symmetric: q(x | y) = q(y | x) cancels.
      logAcceptance: (cur, prop) => tf.sub(prop.logP, cur.logP) as tf.Tensor1D,
    }),
    callback,
    hooks,
  );
}
