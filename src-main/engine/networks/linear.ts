import * as tf from '@tensorflow/tfjs';

/**
 * x·W + b with explicit transposes in the backward pass: ∂x = dy·Wᵀ, ∂W = xᵀ·dy, ∂b = 1ᵀ·dy.
 *
 * Why: the wasm backend's BatchMatMul is ~5× slower when asked to transpose an operand (it leaves
 * XNNPACK's fast path), and tf.matMul's built-in gradient asks for exactly that; transposing first
 * costs little. The bias gradient, a column sum, is a product with a row of ones for the same
 * reason: wasm's Sum over rows transposes first (≈ 280 µs for [512, 128]) where XNNPACK's product
 * takes ≈ 17 µs. The gradient is written with ordinary ops, so it is itself differentiable
 * (second-order gradients through it match tf.matMul's; see the networks test).
 */
const linearExplicitTranspose = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b] = args as tf.Tensor[];
  const save = args[3] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }),
    gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(ws) as tf.Tensor2D),
      tf.matMul(tf.transpose(xs) as tf.Tensor2D, dy as tf.Tensor2D),
      tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]) as tf.Tensor2D, dy as tf.Tensor2D), [-1]),
    ],
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** The plain composition; faster than the explicit-transpose form on the 'cpu' and native backends. */
function linearBuiltin(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, w), b);
}

/** Both forms (tests check they agree). */
export const linearForms = { explicitTranspose: linearExplicitTranspose, builtin: linearBuiltin };
export type LinearForm = keyof typeof linearForms;

let forcedForm: LinearForm | null = null;

/** A dense layer's affine map x·W + b ([n, in]·[in, out] + [out]), the fastest form for the active backend. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const form = forcedForm ?? (tf.getBackend() === 'wasm' ? 'explicitTranspose' : 'builtin');
  return linearForms[form](x, w, b);
}

/**
 * Runs `fn` with every dense layer in the given form, whatever the backend: the kernel probe uses
 * it to learn the kernels of each form on one backend.
 */
export async function withLinearForm<T>(form: LinearForm, fn: () => Promise<T>): Promise<T> {
  forcedForm = form;
  try {
    return await fn();
  } finally {
    forcedForm = null;
  }
}
