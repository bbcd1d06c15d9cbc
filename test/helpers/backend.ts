import * as tfc from '@tensorflow/tfjs-core';

/** Name of the active tfjs backend ('cpu', 'wasm', 'webgl', ...). */
export function backendName(): string {
  return tfc.getBackend();
}
