import * as tf from '@tensorflow/tfjs';

/**
 * Activations whose gradient is itself differentiable in TensorFlow.js 4.22, for objectives that
 * differentiate the score's Jacobian (ISM, SSM) and so take a second derivative through them.
 *
 * Why: a tfjs kernel whose gradient reuses the op's own output (Tanh, Exp, Sigmoid, Elu) gives that
 * output to the gradient as a constant, so the second derivative loses the output's dependence on
 * the input: x·sigmoid(x) built from tf.sigmoid, and tf.elu (whose EluGrad has no gradient at all),
 * are wrong or fail. Here each derivative is written from the saved *input* with fresh ops, whose own
 * first-order gradients tfjs gets right; so second derivatives are right (third ones need not be).
 * tf.softplus already works this way (its gradient is sigmoid(x), a fresh op) and tf.relu's second
 * derivative is zero.
 */

/** swish(x) = x·sigmoid(x) (Ramachandran et al. 2017); swish'(x) = σ(x) + x·σ(x)(1 − σ(x)). */
export const swish = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  return {
    value: tf.mul(x, tf.sigmoid(x)),
    gradFunc: (dy: tf.Tensor, [xs]: tf.Tensor[]) => {
      const s = tf.sigmoid(xs);
      return tf.mul(dy, tf.add(s, tf.mul(tf.mul(xs, s), tf.sub(1, s))));
    },
  };
}) as (x: tf.Tensor2D) => tf.Tensor2D;

/** elu(x) = x for x > 0, eˣ − 1 otherwise (Clevert et al. 2016); elu'(x) = e^min(x, 0). */
export const elu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  return {
    value: tf.elu(x),
    // e^min(x, 0) is 1 for x > 0: one expression with a gradient of its own (a comparison has none).
    gradFunc: (dy: tf.Tensor, [xs]: tf.Tensor[]) => tf.mul(dy, tf.exp(tf.minimum(xs, 0))),
  };
}) as (x: tf.Tensor2D) => tf.Tensor2D;
