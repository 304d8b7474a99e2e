/**
 * Inpainting (Song & Ermon 2019, §5 and their code's `anneal_Langevin_dynamics_inpainting`): the
 * known coordinates are held at their value plus noise of the level the chains are at, so they look
 * like the rest of the state to the score; the free coordinates are sampled from the conditional.
 */
import * as tf from '@tensorflow/tfjs';
import type { SamplerConfig } from '../../../src-shared/config';
import type { Dataset } from '../data/types';
import type { Rng } from '../random';
import type { SamplerHooks } from './types';

export type InpaintTask = Extract<SamplerConfig['task'], { kind: 'inpaint' }>;

/**
 * Each chain's known values, row-major [n, D] (only the masked coordinates are used): the task's
 * `values` for every chain, or one training point per chain drawn with `rng`.
 */
export function inpaintReferences(task: InpaintTask, n: number, data: Pick<Dataset, 'points' | 'n' | 'dim'>, rng: Rng): Float32Array {
  const { dim } = data;
  if (task.mask.length !== dim) throw new Error(`sampler.task.mask has ${task.mask.length} entries; the data has ${dim} coordinates`);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    if (task.values) out.set(task.values, i * dim);
    else {
      const j = rng.int(data.n);
      out.set(data.points.subarray(j * dim, (j + 1) * dim), i * dim);
    }
  }
  return out;
}

/**
 * The constraint for `rows` chains whose known values are `references` ([rows, D]): at noise level
 * σ the masked coordinates become reference + σ·ζ, one ζ ~ N(0, I) per chain drawn whenever σ
 * changes (so it is fixed within a level, as in NCSN); at σ = 0 the reference itself, exactly.
 */
export function inpaintHooks(mask: boolean[], references: Float32Array, rows: number, rng: Rng): SamplerHooks & { dispose(): void } {
  const dim = mask.length;
  const keep = tf.tidy(() => tf.tile(tf.tensor2d([mask.map((m) => (m ? 1 : 0))], [1, dim], 'bool'), [rows, 1]));
  const reference = tf.tensor2d(references, [rows, dim]);
  let target: { sigma: number; values: tf.Tensor2D } | null = null;
  const noise = new Float32Array(rows * dim);
  return {
    constrain(x, sigma) {
      if (target?.sigma !== sigma) {
        target?.values.dispose();
        if (sigma > 0) rng.normals(rows * dim, noise);
        const values = sigma > 0 ? tf.tidy(() => tf.add(reference, tf.mul(tf.tensor2d(noise, [rows, dim]), sigma)) as tf.Tensor2D) : tf.clone(reference);
        target = { sigma, values };
      }
      return tf.where(keep, target.values, x) as tf.Tensor2D;
    },
    dispose() {
      tf.dispose([keep, reference, ...(target ? [target.values] : [])]);
    },
  };
}
