import * as tf from '@tensorflow/tfjs-core';
import type { StepEquations } from '../recurrence/step_equations';
import type { EngineCell } from './engine_cell';
import { getEngineMode, loadedEngine, recordPath, type EngineMode } from './engine_loader';

/** Backends whose tensors live in CPU memory, where reading and writing them costs a copy. */
const ENGINE_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * The one place that chooses the path of a recurrence: the engine's cell descriptor when the
 * engine should run it, otherwise null (the tfjs-op path). The engine runs when the global and
 * the layer's mode are `'auto'`, the engine is loaded, the backend keeps tensors in CPU memory
 * (GPU backends would pay a read-back per call and keep their own path), the kernel describes
 * itself to the engine, and every input is float32. Counts the choice for `engineStatus()`
 * (recounted by `recordDeclined` when the engine's memory cannot hold the run).
 */
export function chooseEngineCell(
  kernel: StepEquations<unknown>,
  layerMode: EngineMode | undefined,
  inputs: readonly tf.Tensor[],
): EngineCell | null {
  const cell = kernel.engineCell;
  const useEngine =
    cell != null &&
    (layerMode ?? 'auto') === 'auto' &&
    engineRunsRecurrences() &&
    inputs.every((t) => t.dtype === 'float32');
  recordPath(useEngine ? 'engine' : 'ops');
  return useEngine ? (cell ?? null) : null;
}

/**
 * Whether recurrences on the current backend run on the engine (the global mode is `'auto'`,
 * the engine is loaded, the backend keeps tensors in CPU memory), unless a layer forces the op
 * path. Callers that can trade work for the engine's strengths (warmup masks the steps it
 * does not need, which the engine skips and the op path would pay extra ops for) ask here.
 */
export function engineRunsRecurrences(): boolean {
  return getEngineMode() === 'auto' && loadedEngine() != null && ENGINE_BACKENDS.has(tf.getBackend());
}
