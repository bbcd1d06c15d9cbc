import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentSystem } from './recurrent_system';
import { speed } from './speed';

/** Settings of {@link minimiseSpeed}. */
export interface MinimiseSettings {
  maxIterations: number;
  learningRate: number;
  tolerance: number;
  progressTolerance: number;
}

/** Why the speed minimisation of `findFixedPoints` stopped: every q below `tolerance`, no more progress, or `maxIterations` reached. */
export type StopReason = 'tolerance' | 'progress' | 'maxIterations';

/** What {@link minimiseSpeed} returns. */
export interface MinimiseResult {
  /** The optimised states `[n, dimension]` (owned by the caller). */
  states: tf.Tensor2D;
  iterations: number;
  stoppedBy: StopReason;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
// FixedPointFinder's Adam epsilon: once gradients fall well below it, Adam becomes plain
// gradient descent with rate learningRate / epsilon, which converges instead of hovering.
const EPSILON = 0.01;
const CHECK_EVERY = 10;
const DECAY_EVERY = 500;
const DECAY = 0.7;

/**
 * Minimises q(h) = ½‖F(h, u) − h‖² of every state jointly with Adam, in tfjs ops (any backend).
 * Stops when every state satisfies `q < tolerance` or improves by less than
 * `progressTolerance · learningRate` per iteration (FixedPointFinder's rule), checked every 10
 * iterations with an asynchronous read, or after `maxIterations`. The learning rate is multiplied
 * by 0.7 every 500 iterations. Does not dispose `start`.
 */
export async function minimiseSpeed(
  system: RecurrentSystem,
  start: tf.Tensor2D,
  input: tf.Tensor2D,
  s: MinimiseSettings,
): Promise<MinimiseResult> {
  let x = tf.clone(start);
  let m = tf.zerosLike(start);
  let v = tf.zerosLike(start);
  const gradient = tf.grad((h: tf.Tensor) => tf.sum(speed(system, h as tf.Tensor2D, input)));
  let previous: Float32Array | null = null;
  let iteration = 0;
  let stoppedBy: StopReason = 'maxIterations';
  try {
    while (iteration < s.maxIterations) {
      const rate = s.learningRate * Math.pow(DECAY, Math.floor(iteration / DECAY_EVERY));
      iteration++;
      const t = iteration;
      const [nx, nm, nv] = tf.tidy(() => {
        const g = gradient(x);
        const m1 = tf.add(tf.mul(BETA1, m), tf.mul(1 - BETA1, g));
        const v1 = tf.add(tf.mul(BETA2, v), tf.mul(1 - BETA2, tf.square(g)));
        const mHat = tf.div(m1, 1 - Math.pow(BETA1, t));
        const vHat = tf.div(v1, 1 - Math.pow(BETA2, t));
        const x1 = tf.sub(x, tf.mul(rate, tf.div(mHat, tf.add(tf.sqrt(vHat), EPSILON))));
        return [x1, m1, v1];
      });
      tf.dispose([x, m, v]);
      x = nx as tf.Tensor2D;
      m = nm as tf.Tensor2D;
      v = nv as tf.Tensor2D;
      if (iteration % CHECK_EVERY === 0 || iteration === s.maxIterations) {
        const qTensor = speed(system, x, input);
        const q = (await qTensor.data()) as Float32Array;
        qTensor.dispose();
        if (q.every((value) => value < s.tolerance)) {
          stoppedBy = 'tolerance';
          break;
        }
        if (previous != null) {
          const before = previous;
          const done = q.every(
            (value, i) => value < s.tolerance || Math.abs(before[i] - value) / CHECK_EVERY < s.progressTolerance * rate,
          );
          if (done) {
            stoppedBy = 'progress';
            break;
          }
        }
        previous = q;
      }
    }
    const states = x;
    tf.dispose([m, v]);
    return { states, iterations: iteration, stoppedBy };
  } catch (error) {
    tf.dispose([x, m, v]);
    throw error;
  }
}
