import * as tf from '@tensorflow/tfjs-core';
import { transposed, transposedTimes } from '../backend/tfjs_quirks';

/**
 * `x·kernel + bias` with a hand-written gradient whose transposes are explicit. Quirk
 * `wasmTransposedMatMulSlow` (see `backend/tfjs_quirks.ts`): tfjs's own `MatMul` gradient uses
 * products with transpose flags, which the wasm backend runs many times slower than plain ones.
 */
export function denseProjection(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  const project = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [a, b, c] = args.slice(0, -1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
    const value = (c == null ? tf.matMul(a, b) : tf.fused.matMul({ a, b, bias: c })) as tf.Tensor2D;
    save([a, b]);
    return {
      value,
      gradFunc: (dy: tf.Tensor2D, [savedA, savedB]: tf.Tensor[]) => {
        const grads: tf.Tensor[] = [
          tf.matMul(dy, transposed(savedB as tf.Tensor2D)),
          transposedTimes(savedA as tf.Tensor2D, dy),
        ];
        if (c != null) grads.push(tf.sum(dy, 0));
        return grads;
      },
    };
  });
  return (bias == null ? project(x, kernel) : project(x, kernel, bias)) as tf.Tensor2D;
}

/**
 * A layer's input sequence with the weights of its input projection, handed to
 * `runRecurrence` unprojected so that the engine can form the projection (and its gradients)
 * inside its own call; the tfjs-op path forms it with {@link projectSequence}.
 */
export interface SequenceInput {
  /** The layer's input, batch-first `[batch, time, features]`. */
  x: tf.Tensor3D;
  /** `[features, projectionWidth]`. */
  kernel: tf.Tensor2D;
  /** `[projectionWidth]`, or null for none. */
  bias: tf.Tensor1D | null;
  /** Read the input reversed in time (a `goBackwards` layer). */
  reverse: boolean;
}

/** The time-major projection `[time, batch, width]` of `input` with tfjs ops. */
export function projectSequence(input: SequenceInput): tf.Tensor3D {
  const [batch, time, features] = input.x.shape;
  let timeMajor = tf.transpose(input.x, [1, 0, 2]);
  if (input.reverse) timeMajor = tf.reverse(timeMajor, 0);
  const rows = tf.reshape(timeMajor, [time * batch, features]) as tf.Tensor2D;
  return tf.reshape(denseProjection(rows, input.kernel, input.bias), [time, batch, input.kernel.shape[1]]);
}
