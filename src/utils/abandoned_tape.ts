import * as tf from '@tensorflow/tfjs-core';

/**
 * Frees what tfjs saved for a backward pass that never ran. Call it after `tf.variableGrads`,
 * `tf.grads` or `optimizer.computeGradients` threw.
 *
 * Why: while a gradient is being recorded, tfjs 4.22 keeps a clone of every tensor each op's
 * gradient will need (`tapeNode.saved`, marked `kept`, so no `tf.tidy` frees them). Only the
 * backward pass disposes them; when the forward function throws, the tape is abandoned with
 * them still alive (tens of tensors per call). The tape lives in the engine's state, so this
 * reaches into it; it does nothing while an outer gradient is still recording (its tape is
 * still in use) or when no tape is left. Quirk `tapeKeepsSavedOnThrow` (src/backend/tfjs_quirks.ts).
 */
export function releaseAbandonedTape(): void {
  const state = tf.engine().state as unknown as {
    activeTape: Array<{ saved?: tf.Tensor[] }> | null;
    gradientDepth: number;
  };
  if (state.gradientDepth !== 0 || state.activeTape == null) return;
  for (const node of state.activeTape) {
    for (const t of node.saved ?? []) t.dispose();
  }
  state.activeTape = null;
}
