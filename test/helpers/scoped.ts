import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `f` in a tfjs scope whose tensors are disposed afterwards, and returns its plain result.
 * Unlike `tf.tidy`, the result may hold typed arrays (tidy walks every element of what it
 * returns, which is slow for large arrays and is typed for tensor containers only).
 */
export function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}
