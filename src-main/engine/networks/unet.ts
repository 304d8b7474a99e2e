import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../../src-shared/config';
import type { Dataset } from '../data/types';
import type { Rng } from '../random';
import { swish } from './activations';
import { conv3x3 } from './conv';
import { linear } from './linear';
import { embeddingFrequencies, sinusoidalEmbedding } from './sigma-embedding';
import { NamedWeights } from './named-weights';
import type { ScoreNetwork } from './types';
import { upsampleNearest2x } from './upsample';

/** swish works on any shape; its declared type is the MLP's. */
const activation = swish as unknown as (h: tf.Tensor4D) => tf.Tensor4D;

export type UnetConfig = Extract<ModelConfig, { kind: 'unet' }>;

interface Conv {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** A 3×3 convolution whose output is modulated by σ (FiLM) and passed through swish. */
interface Block {
  conv: Conv;
  /** emb(σ) → [γ, β], two per output channel. */
  film: { kernel: tf.Variable; bias: tf.Variable };
}

/**
 * A small noise-conditional U-Net (Ronneberger et al. 2015; the score network of NCSN is one too)
 * on images stored as rows of height × width × channels values (NHWC), so it takes and returns
 * [n, D] like every score network.
 *
 * Down the resolutions (channels[i] wide at the i-th, each half the side of the one before, by 2×2
 * average pooling), a block at each; back up by nearest-neighbour upsampling, each level's block
 * taking the upsampled features beside the skip from the way down. Each block is a 3×3 convolution,
 * then FiLM (Perez et al. 2018), h·(1 + γ(σ)) + β(σ) per channel, then swish; γ and β come from
 * emb(σ) = swish(W·[sin(ω_k·log σ), cos(ω_k·log σ)]_k + b), the MLP's sinusoidal embedding. No
 * normalisation layer: at this size the network trains without one, and a batch statistic would
 * make one sample's score depend on the others in its batch. With `scaleBySigma`,
 * s_θ(x, σ) = f_θ(x, σ)/σ (NCSNv2).
 */
export function createUnet(config: UnetConfig, dim: number, rng: Rng, data?: Pick<Dataset, 'image'>): ScoreNetwork {
  const image = data?.image;
  if (!image) throw new Error('model.kind: unet needs image data (data.kind mnist)');
  if (image.height * image.width * image.channels !== dim)
    throw new Error(`unet: the data has ${dim} values per point, not ${image.height}×${image.width}×${image.channels}`);
  const channels = config.channels;
  const levels = channels.length;
  const factor = 2 ** (levels - 1);
  if (image.height % factor !== 0 || image.width % factor !== 0)
    throw new Error(
      `model.channels: ${levels} resolutions halve the ${image.height}×${image.width} image ${levels - 1} times, which needs sides divisible by ${factor}; give fewer widths`,
    );
  const embeddingDim = config.embeddingDim;

  const weights = new NamedWeights();
  const conv = (name: string, cIn: number, cOut: number): Conv => ({
    kernel: weights.glorot(`unet/${name}/kernel`, [3, 3, cIn, cOut], 9 * cIn, 9 * cOut, rng),
    bias: weights.zeros(`unet/${name}/bias`, [cOut]),
  });
  const block = (name: string, cIn: number, cOut: number): Block => ({
    conv: conv(name, cIn, cOut),
    film: {
      kernel: weights.glorot(`unet/${name}/film/kernel`, [embeddingDim, 2 * cOut], embeddingDim, 2 * cOut, rng),
      bias: weights.zeros(`unet/${name}/film/bias`, [2 * cOut]),
    },
  });
  const embed = {
    kernel: weights.glorot('unet/embed/kernel', [embeddingDim, embeddingDim], embeddingDim, embeddingDim, rng),
    bias: weights.zeros('unet/embed/bias', [embeddingDim]),
  };
  const head = conv('head', image.channels, channels[0]);
  const down = channels.map((c, i) => block(`down${i}`, i === 0 ? channels[0] : channels[i - 1], c));
  // up[i] works at resolution i (< levels − 1): the level below's features beside resolution i's skip.
  const up = channels.slice(0, -1).map((c, i) => block(`up${i}`, channels[i + 1] + c, c));
  const out = conv('out', channels[0], image.channels);
  const frequencies = tf.keep(tf.tensor2d(embeddingFrequencies(embeddingDim), [1, embeddingDim / 2]));

  const applyConv = (h: tf.Tensor4D, c: Conv): tf.Tensor4D => tf.add(conv3x3(h, c.kernel as tf.Tensor4D), c.bias);

  /** emb(σ), [m, E] for σ [m, 1]. */
  const embedding = (sigma: tf.Tensor2D): tf.Tensor2D => {
    return swish(linear(sinusoidalEmbedding(sigma, frequencies), embed.kernel as tf.Tensor2D, embed.bias as tf.Tensor1D));
  };

  const applyBlock = (h: tf.Tensor4D, b: Block, emb: tf.Tensor2D): tf.Tensor4D => {
    const y = applyConv(h, b.conv);
    const c = y.shape[3];
    const gammaBeta = linear(emb, b.film.kernel as tf.Tensor2D, b.film.bias as tf.Tensor1D);
    const m = emb.shape[0];
    const gamma = tf.reshape(tf.slice(gammaBeta, [0, 0], [m, c]), [m, 1, 1, c]);
    const beta = tf.reshape(tf.slice(gammaBeta, [0, c], [m, c]), [m, 1, 1, c]);
    return activation(tf.add(tf.mul(y, tf.add(gamma, 1)), beta));
  };

  const forward = (x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor2D => {
    const n = x.shape[0];
    if (sigma.shape[0] !== n && sigma.shape[0] !== 1)
      throw new Error(`score: σ has ${sigma.shape[0]} rows for ${n} points (expected ${n} or 1)`);
    const emb = embedding(sigma);
    let h = applyConv(tf.reshape(x, [n, image.height, image.width, image.channels]), head);
    const skips: tf.Tensor4D[] = [];
    for (let i = 0; i < levels; i++) {
      h = applyBlock(h, down[i], emb);
      if (i + 1 < levels) {
        skips.push(h);
        h = tf.avgPool(h, 2, 2, 'valid');
      }
    }
    for (let i = levels - 2; i >= 0; i--) {
      h = tf.concat([upsampleNearest2x(h), skips[i]], 3);
      h = applyBlock(h, up[i], emb);
    }
    return tf.reshape(applyConv(h, out), [n, dim]);
  };

  return {
    variables: weights.variables,
    score: (x, sigma) =>
      tf.tidy(() => {
        const f = forward(x, sigma);
        return config.scaleBySigma ? tf.div(f, sigma) : f;
      }),
    weightNames: weights.names,
    getWeights: () => weights.get(),
    setWeights: (w) => weights.set(w),
    dispose: () => {
      weights.dispose();
      frequencies.dispose();
    },
  };
}

