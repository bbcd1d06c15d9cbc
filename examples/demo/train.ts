/**
 * Supervised training of the demo model: minibatch Adam on the mean squared error, with a
 * seeded shuffle, and batched evaluation of the MSE on a held-out set.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32, shuffledIndices } from '../common/random';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  /** Called after each epoch with the validation MSE; may be async. */
  onEpoch?: (epoch: number, valMse: number) => void | Promise<void>;
  /** Called after each batch (cheap: no data is read back). */
  onBatch?: (epoch: number, batch: number, batches: number) => void;
}

/** What {@link train} measured. */
export interface TrainResult {
  /** Validation MSE before training (index 0) and after each epoch (index e). */
  valMse: number[];
  /** Wall time of the optimisation steps and validations, in milliseconds. */
  ms: number;
}

/** Mean squared error of `model` on `(x, y)`, evaluated in batches without gradients. */
export async function evaluateMse(
  model: tf.LayersModel,
  x: tf.Tensor3D,
  y: tf.Tensor2D,
  batchSize = 256,
): Promise<number> {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const squared = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0, 0], [size, -1, -1]);
      const yb = tf.slice(y, [start, 0], [size, -1]);
      const prediction = model.predict(xb) as tf.Tensor;
      return tf.sum(tf.squaredDifference(prediction, yb));
    });
    sum += (await squared.data())[0];
    squared.dispose();
  }
  return sum / (n * y.shape[1]);
}

/**
 * Trains `model` on `(x, y)` with Adam and the MSE loss for `epochs` passes over the data in
 * shuffled minibatches (the last one may be smaller), measuring the validation MSE before
 * training and after each epoch. Throws if the validation MSE is not finite.
 */
export async function train(
  model: tf.LayersModel,
  data: { x: tf.Tensor3D; y: tf.Tensor2D; validX: tf.Tensor3D; validY: tf.Tensor2D },
  options: TrainOptions,
): Promise<TrainResult> {
  const started = performance.now();
  const optimizer = tf.train.adam(options.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const random = mulberry32(options.seed);
  const n = data.x.shape[0];
  const batches = Math.ceil(n / options.batchSize);
  const valMse = [await evaluateMse(model, data.validX, data.validY)];
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const order = shuffledIndices(n, random);
      for (let b = 0; b < batches; b++) {
        const indices = order.subarray(b * options.batchSize, Math.min(n, (b + 1) * options.batchSize));
        tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const xb = tf.gather(data.x, index);
          const yb = tf.gather(data.y, index);
          optimizer.minimize(
            () => tf.losses.meanSquaredError(yb, model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar,
            false,
            variables,
          );
        });
        options.onBatch?.(epoch, b + 1, batches);
        // Let timers (progress output) run between batches.
        if (b % 8 === 7) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const mse = await evaluateMse(model, data.validX, data.validY);
      if (!Number.isFinite(mse)) throw new Error(`training diverged: validation MSE is ${mse} after epoch ${epoch}.`);
      valMse.push(mse);
      await options.onEpoch?.(epoch, mse);
    }
  } finally {
    optimizer.dispose();
  }
  return { valMse, ms: performance.now() - started };
}
