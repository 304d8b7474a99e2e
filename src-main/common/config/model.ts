/** The `model` section: the score network (or score model) and how σ enters it. */
import { z } from 'zod';
import { kindError, positiveInt } from './fields';

/**
 * Activations whose second derivative TensorFlow.js 4.22 computes correctly (tanh and exp do not:
 * their gradients reuse the op's output). Objectives that differentiate the score's Jacobian need this.
 */
export const ACTIVATIONS = ['softplus', 'swish', 'elu', 'relu'] as const;

export const mlpSchema = z.strictObject({
  kind: z.literal('mlp'),
  hidden: z.array(positiveInt('hidden width').max(4096, 'hidden width must be ≤ 4096')).min(1).max(16).default([128, 128, 128]),
  activation: z.enum(ACTIVATIONS).default('softplus'),
  /**
   * How σ enters the network, concatenated to the input: 'concat' is log σ itself; 'sinusoidal' is
   * sin and cos of log σ at `embeddingDim`/2 frequencies (the transformer's position embedding).
   */
  conditioning: z.enum(['concat', 'sinusoidal']).default('concat'),
  /** Width of the 'sinusoidal' embedding (sin and cos at embeddingDim/2 frequencies); unused by 'concat'. */
  embeddingDim: positiveInt('embeddingDim')
    .max(1024, 'embeddingDim must be ≤ 1024')
    .refine((d) => d % 2 === 0, 'embeddingDim must be even')
    .default(32),
  /** NCSNv2's s_θ(x, σ) = f_θ(x, σ)/σ, which keeps the output's scale right across levels. */
  scaleBySigma: z.boolean().default(true),
});

const modelOptions = [mlpSchema] as const;

export const modelSchema = z.discriminatedUnion('kind', [...modelOptions], {
  error: kindError(modelOptions.map((o) => o.shape.kind.value)),
});
