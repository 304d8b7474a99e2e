/**
 * The sampling phase of a run: the configured sampler from its initial chains, with progress and
 * cancel, for the configured task (generate, inpaint, interpolate), streaming the trajectory when
 * asked. It returns the final samples; the task's other sets and the trajectory frames it sends
 * itself, each as a labelled sample set.
 */
import type { ScheduleLevel, TrajectoryFrame } from '../../../src-shared/api';
import type { ExperimentConfig } from '../../../src-shared/config';
import { sampleSetLabel } from '../../../src-shared/labels';
import type { Dataset } from '../data';
import type { ScoreNetwork } from '../networks';
import type { ProgressThrottle } from '../pacing';
import { EventLoopYielder } from '../pacing';
import { createRng } from '../random';
import { initialChains, sampleChains, sampleChainsSteps, samplerStart } from '../samplers';
import type { SamplerHooks, SamplerProgress } from '../samplers';
import { inpaintHooks, inpaintReferences } from '../samplers/inpaint';
import { interpolationStarts, levelsFrom, middleSigma } from '../samplers/interpolate';
import { Cancelled, requireFiniteSamples } from './failures';
import type { RunOptions } from '../jobs';
import { sigmasOf } from './schedule-table';
import { TrajectoryRecorder } from './trajectory';

/** Runs the configured sampler and task; throws Cancelled when the run is cancelled, RunFailure when a sample goes non-finite. */
export async function sample(
  config: ExperimentConfig,
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  opts: RunOptions,
  progress: ProgressThrottle,
): Promise<Float32Array> {
  const { sampler } = config;
  const { task } = sampler;
  const { dim } = data;
  const send = (label: string, points: Float32Array, frame?: TrajectoryFrame) =>
    opts.emit({ type: 'samples', label, n: points.length / dim, dim, points, metrics: { n: points.length / dim }, ...(frame ? { frame } : {}) });

  const sigmas = sigmasOf(schedule);
  // Interpolation anneals its paths back from σ_m after the samples are drawn: a second pass.
  const sigmaMid = task.kind === 'interpolate' ? middleSigma(sigmas, task.sigma) : 0;
  const interpolation = task.kind === 'interpolate' ? { task, levels: levelsFrom(sigmas, sigmaMid), chains: task.pairs * task.points } : null;
  const firstTotal = sampleChainsSteps(sampler, sigmas, sampler.n);
  const total = firstTotal + (interpolation ? sampleChainsSteps(sampler, interpolation.levels.sigmas, interpolation.chains) : 0);
  const yielder = new EventLoopYielder();
  let offset = 0;
  const onProgress = async (p: SamplerProgress & { offset: number }) => {
    const done = offset + p.done;
    progress.report({ phase: 'sampling', done, total, loss: null, stats: p.stats }, done === total);
    await yielder.maybeYield();
    if (opts.isCancelled()) throw new Cancelled();
  };
  progress.report({ phase: 'sampling', done: 0, total, loss: null }, true);

  const init = initialChains(sampler.init, sampler.n, data, sigmas[0], createRng(config.seed, 'sampler-init'));
  let hooks: ((offset: number, rows: number) => SamplerHooks & { dispose(): void }) | undefined;
  if (task.kind === 'inpaint') {
    const references = inpaintReferences(task, sampler.n, data, createRng(config.seed, 'inpaint-references'));
    send(sampleSetLabel.inpaintReference, references);
    const noise = createRng(config.seed, 'inpaint-noise');
    hooks = (from, rows) => inpaintHooks(task.mask, references.subarray(from * dim, (from + rows) * dim), rows, noise);
  }

  // Frames come from the first chunk, which holds the first chains: its steps are one chain's steps.
  const trajectory = sampler.trajectory
    ? new TrajectoryRecorder(sampler.trajectory, sampler.n, dim, sampleChainsSteps(sampler, sigmas, 1), samplerStart(sampler, sigmas), (f) =>
        send(sampleSetLabel.trajectory(f.frame.index), f.points, f.frame),
      )
    : null;
  trajectory?.start(init);
  const samples = await sampleChains(net, init, sigmas, { config: sampler, dim, rng: createRng(config.seed, 'sampler-noise'), hooks }, async (p) => {
    await trajectory?.onStep(p);
    await onProgress(p);
  });
  requireFiniteSamples(sampleSetLabel.final, samples, dim);
  trajectory?.finish(samples);

  if (interpolation) {
    offset = firstTotal;
    const { pairs, points } = interpolation.task;
    const starts = interpolationStarts(samples, dim, pairs, points, sigmaMid, createRng(config.seed, 'interpolation-noise'));
    const { firstLevel, sigmas: tail } = interpolation.levels;
    const paths = await sampleChains(net, starts, tail, { config: sampler, dim, rng: createRng(config.seed, 'interpolation-sampler'), firstLevel }, onProgress);
    requireFiniteSamples(sampleSetLabel.interpolation, paths, dim);
    send(sampleSetLabel.interpolation, paths);
  }
  return samples;
}
