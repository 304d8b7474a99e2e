/**
 * Scores a run's final samples: which metrics apply depends on the data. Mode shares where the data
 * is a known mixture; two-sample distances to a reference set for point data; the Fisher divergence
 * per level where the data's score is known. Every count a metric used is recorded beside it.
 */
import type { SampleDistances, SampleMetrics, ScheduleLevel } from '../../../src-shared/api';
import type { Dataset } from '../data';
import { subsampleRows } from '../data';
import { energyDistanceEstimate, fisherDivergence, rbfMmd2, sampleMetrics, slicedWasserstein } from '../metrics';
import { imageQuality } from '../metrics/image-quality';
import type { ScoreFn } from '../networks';
import { createRng } from '../random';

/** The distances are O(n²·D): at most this many samples (and as many reference points) keep them to a few seconds in 2-D… */
export const MAX_DISTANCE_POINTS = 2000;
/** …and fewer in higher dimensions (a CSV of any D), so that n²·D stays within this many coordinate differences. */
const DISTANCE_WORK = 4 * MAX_DISTANCE_POINTS ** 2;

/** How many samples the distances compare, at most, for data of dimension `dim`. */
export function distancePointCap(dim: number): number {
  return Math.max(2, Math.min(MAX_DISTANCE_POINTS, Math.floor(Math.sqrt(DISTANCE_WORK / dim))));
}
/** Random directions of the sliced Wasserstein distance. */
export const SLICED_PROJECTIONS = 128;
/** Fresh data points per noise level for the Fisher divergence. */
export const FISHER_POINTS_PER_LEVEL = 2000;

export interface EvaluationContext {
  /** The trained network's score. */
  score: ScoreFn;
  schedule: readonly ScheduleLevel[];
  /** The run's seed: each metric draws from its own named stream, so the metrics repeat exactly. */
  seed: number;
}

/** Every metric the data supports, for the final samples (row-major n × data.dim). */
export async function evaluateSamples(samples: Float32Array, data: Dataset, ctx: EvaluationContext): Promise<SampleMetrics> {
  const metrics = sampleMetrics(samples, data);
  // Image data (MNIST) is compared in a classifier's features (FID, KID), not by distances between
  // pixel vectors; point data in its own coordinates.
  if (data.image) {
    const finite = finiteRows(samples, data.dim);
    const image = data.heldOut && (await imageQuality(finite, (samples.length - finite.length) / data.dim, data.heldOut, createRng(ctx.seed, 'evaluation-image')));
    if (image) metrics.image = image;
    return metrics;
  }
  const distances = sampleDistances(samples, data, ctx.seed);
  if (distances) metrics.distances = distances;
  if (data.mixture) {
    const sigmas = ctx.schedule.map((l) => l.sigma);
    const values = await fisherDivergence(ctx.score, data.mixture, sigmas, FISHER_POINTS_PER_LEVEL, createRng(ctx.seed, 'evaluation-fisher'));
    metrics.fisher = { nPerLevel: FISHER_POINTS_PER_LEVEL, levels: sigmas.map((sigma, i) => ({ sigma, value: values[i] })) };
  }
  return metrics;
}

/**
 * MMD² (median-heuristic RBF), sliced W₂ and energy distance between the finite samples (at most
 * distancePointCap(dim), a seeded subsample when more) and as many reference points: fresh draws from
 * the data's generator when it has one, else rows of the training set. Undefined when fewer than two
 * samples are finite.
 */
export function sampleDistances(samples: Float32Array, data: Dataset, seed: number): SampleDistances | undefined {
  const { dim } = data;
  const finite = finiteRows(samples, dim);
  const nonFinite = samples.length / dim - finite.length / dim;
  const count = Math.min(finite.length / dim, distancePointCap(dim), data.draw ? Infinity : data.n);
  if (count < 2) return undefined;
  const x = subsampleRows({ points: finite, n: finite.length / dim, dim }, count, createRng(seed, 'evaluation-subsample'));
  const referenceRng = createRng(seed, 'evaluation-reference');
  const y = data.draw ? data.draw(count, referenceRng) : subsampleRows(data, count, referenceRng);
  const mmd = rbfMmd2(x, y, dim);
  const energy = energyDistanceEstimate(x, y, dim);
  return {
    nSamples: count,
    nReference: count,
    nonFinite,
    reference: data.draw ? 'held-out' : 'training',
    mmd2: mmd.mmd2,
    ...(mmd.standardError !== null && { mmd2StdErr: mmd.standardError }),
    mmdBandwidth: mmd.bandwidth,
    slicedWasserstein: slicedWasserstein(x, y, dim, SLICED_PROJECTIONS, createRng(seed, 'evaluation-projections')),
    projections: SLICED_PROJECTIONS,
    energyDistance: energy.mmd2,
    ...(energy.standardError !== null && { energyDistanceStdErr: energy.standardError }),
  };
}

/** The rows whose every coordinate is finite, in order. */
function finiteRows(points: Float32Array, dim: number): Float32Array {
  const n = points.length / dim;
  const out = new Float32Array(points.length);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const row = points.subarray(i * dim, (i + 1) * dim);
    if (row.every(Number.isFinite)) out.set(row, dim * kept++);
  }
  return out.slice(0, kept * dim);
}
