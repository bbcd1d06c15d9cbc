/** Activates the tfjs backend the demo runs on (the wasm binaries ship with the npm package). */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { DemoBackend } from './args';

export async function useBackend(name: DemoBackend): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`demo: could not activate tfjs backend '${name}' (active: '${tf.getBackend()}').`);
  }
  // Silence the cpu backend's one-time "install tfjs-node" banner.
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof backend.firstUse === 'boolean') backend.firstUse = false;
}
