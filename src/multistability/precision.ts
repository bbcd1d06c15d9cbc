import * as tf from '@tensorflow/tfjs-core';

let warned = false;

/**
 * Warns once when the active backend computes in float16 (WebGL on some mobile GPUs): with
 * ~3 significant digits, distances at the scale of ε = 1e-4 are noise, so VAA, VAA\* and
 * warmup are unreliable there. Desktop WebGL, WebGPU, wasm, cpu and node compute in float32.
 */
export function warnIfLowPrecision(fn: string): void {
  if (warned || tf.getBackend() !== 'webgl') return;
  let float32 = true;
  try {
    float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  } catch {
    return;
  }
  if (!float32) {
    warned = true;
    console.warn(
      `${fn}: this WebGL device renders in float16 (WEBGL_RENDER_FLOAT32_ENABLED is false); ` +
        'multistability measures with ε = 1e-4 are unreliable at that precision. Use the wasm or webgpu backend.',
    );
  }
}
