/**
 * The score field of a run's model at one noise level: s_θ(x, σ_i) on a grid over the data, the
 * true ∇ₓ log p_σ(x) where the data's density is known, and p_σ itself for the heat map below.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel, ScoreField } from '../../../src-shared/api';
import type { Dataset } from '../data';
import { paddedBoundingBox } from '../data/stats';
import type { ScoreNetwork } from '../networks';
import { BOX_PADDING } from '../samplers/init';
import { mixtureLogDensity, mixtureScore, perturbedMixture } from '../targets';

/** Heat-map cells per side: fine enough to look smooth under the arrows. */
export const DENSITY_RESOLUTION = 64;
/** Training points the non-mixture density is summed over (every k-th one). */
const DENSITY_POINTS = 2000;

type Box = ScoreField['box'];

/**
 * The data's bounding box with the sampler's padding, widened on its shorter side to a square:
 * square cells keep the arrows evenly spaced on the equal-aspect plot.
 */
function squareBox(data: Dataset): Box {
  const { lo, hi } = paddedBoundingBox(data, BOX_PADDING);
  const half = Math.max(hi[0] - lo[0], hi[1] - lo[1], 1e-6) / 2;
  const cx = (lo[0] + hi[0]) / 2;
  const cy = (lo[1] + hi[1]) / 2;
  return { x: [cx - half, cx + half], y: [cy - half, cy + half] };
}

/** Row-major (y outer) centres of a cells × cells grid over `box`, as [x, y] pairs. */
export function cellCentres(box: Box, cells: number): Float32Array {
  const out = new Float32Array(cells * cells * 2);
  const dx = (box.x[1] - box.x[0]) / cells;
  const dy = (box.y[1] - box.y[0]) / cells;
  for (let j = 0; j < cells; j++)
    for (let i = 0; i < cells; i++) {
      out[(j * cells + i) * 2] = box.x[0] + (i + 0.5) * dx;
      out[(j * cells + i) * 2 + 1] = box.y[0] + (j + 0.5) * dy;
    }
  return out;
}

/**
 * p_σ at each point: for a mixture, the mixture with variances s_k² + σ² (exact); otherwise the
 * training points convolved with N(0, σ²I), p_σ(x) = (1/N)·Σ_i N(x; x_i, σ²I), the σ-perturbed
 * density of the data as the run saw them.
 */
function perturbedDensity(data: Dataset, sigma: number, points: Float32Array): number[] {
  const count = points.length / 2;
  if (data.mixture) {
    const mixture = perturbedMixture(data.mixture, sigma);
    return Array.from({ length: count }, (_, c) => Math.exp(mixtureLogDensity(mixture, points.subarray(2 * c, 2 * c + 2))));
  }
  const stride = Math.max(1, Math.ceil(data.n / DENSITY_POINTS));
  const used = Math.ceil(data.n / stride);
  const norm = 1 / (used * 2 * Math.PI * sigma * sigma);
  const out = new Array<number>(count).fill(0);
  for (let c = 0; c < count; c++) {
    const x = points[2 * c];
    const y = points[2 * c + 1];
    let sum = 0;
    for (let r = 0; r < data.n; r += stride) {
      const dx = x - data.points[r * 2];
      const dy = y - data.points[r * 2 + 1];
      sum += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
    }
    out[c] = sum * norm;
  }
  return out;
}

/** The field at schedule level `level` on `grid` × `grid` arrows; 2-D data only. */
export async function scoreField(
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  level: number,
  grid: number,
): Promise<Omit<ScoreField, 'runId' | 'step'>> {
  if (data.dim !== 2) throw new Error(`the score field is drawn for 2-D data; this run's data have dimension ${data.dim}`);
  if (!Number.isInteger(level) || level < 0 || level >= schedule.length)
    throw new Error(`level: must be an integer from 0 to ${schedule.length - 1} (the run's noise levels)`);
  const sigma = schedule[level].sigma;
  const box = squareBox(data);
  const arrows = cellCentres(box, grid);
  const scores = tf.tidy(() => net.score(tf.tensor2d(arrows, [grid * grid, 2]), tf.tensor2d([[sigma]])));
  let learned: number[];
  try {
    learned = Array.from(await scores.data());
  } finally {
    scores.dispose();
  }
  let trueScore: number[] | null = null;
  if (data.mixture) {
    const mixture = perturbedMixture(data.mixture, sigma);
    trueScore = [];
    for (let c = 0; c < grid * grid; c++) trueScore.push(...mixtureScore(mixture, arrows.subarray(2 * c, 2 * c + 2)));
  }
  const density = perturbedDensity(data, sigma, cellCentres(box, DENSITY_RESOLUTION));
  return {
    level,
    sigma,
    box,
    grid,
    learned,
    true: trueScore,
    density: { resolution: DENSITY_RESOLUTION, values: density, source: data.mixture ? 'mixture' : 'training-data' },
  };
}
