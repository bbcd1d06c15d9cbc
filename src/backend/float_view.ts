import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm 4.22's backend object that {@link floatView} reads. */
interface WasmBackendInternals {
  dataIdMap?: { get(dataId: object): { memoryOffset?: number | null } | undefined };
  wasm?: { HEAPU8?: Uint8Array };
}

/**
 * The float32 values of `t`, for reading at once (copying somewhere else before any other tfjs
 * call). On the wasm backend, a view of the tensor's own bytes in the backend's heap: its
 * `dataSync` slices a fresh copy on every read (quirk `wasmReadSyncCopies`), which for the
 * engine's inputs and saved states was megabytes of allocation and copying per call. The view
 * is invalid after the next tfjs allocation (the heap may grow and detach it). Elsewhere, and
 * for tensors that do not live in the current wasm backend, `dataSync()` (the cpu backend hands
 * out its own array without copying).
 */
export function floatView(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as WasmBackendInternals;
    const offset = backend.dataIdMap?.get(t.dataId)?.memoryOffset;
    const buffer = backend.wasm?.HEAPU8?.buffer;
    if (offset != null && buffer != null && offset % 4 === 0) return new Float32Array(buffer, offset, t.size);
  }
  return t.dataSync() as Float32Array;
}
