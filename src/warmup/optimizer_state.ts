import * as tf from '@tensorflow/tfjs-core';

/** What `Optimizer.getWeights` returns per entry (tfjs-core does not export this type). */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/**
 * A copy of a user-supplied optimizer's state (step count and accumulators, through tfjs's
 * `getWeights`/`setWeights`), so that a failed warmup can put the optimizer back as it was.
 *
 * `null` when the optimizer cannot save its state: tfjs 4.22's `Adamax`, and optimizers whose
 * `getWeights` throws. Their state is then not restored (documented on `WarmupOptions.optimizer`).
 * Quirk `adamaxStateUnsaveable` (src/backend/tfjs_quirks.ts).
 */
export class OptimizerState {
  private constructor(private readonly saved: NamedTensor[]) {}

  static async save(optimizer: tf.Optimizer): Promise<OptimizerState | null> {
    let weights: NamedTensor[];
    try {
      weights = await optimizer.getWeights();
    } catch {
      return null;
    }
    // Accumulators are the optimizer's live variables: copy them. The step count comes back as
    // a fresh tensor, which the copy can own as it is.
    return new OptimizerState(
      weights.map(({ name, tensor }) => ({
        name,
        tensor: tf.keep(tensor instanceof tf.Variable ? tf.clone(tensor) : tensor),
      })),
    );
  }

  /**
   * Gives the optimizer back the saved state. `setWeights` makes new accumulator variables
   * from the copies (and drops any created since), so the ones it replaces are disposed here.
   */
  async restore(optimizer: tf.Optimizer): Promise<void> {
    const replaced = await optimizer.getWeights();
    await optimizer.setWeights(this.saved);
    tf.dispose(replaced.map((w) => w.tensor));
  }

  dispose(): void {
    tf.dispose(this.saved.map((w) => w.tensor));
  }
}
