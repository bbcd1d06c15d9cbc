/**
 * Browser entry, bundled by esbuild (iife) in test/browser/chromium_backends.test.ts.
 * Exposes window.runBackendCases(backend, withQuality) → JSON-serialisable results (webgl, webgpu).
 */
import * as tf from '@tensorflow/tfjs';
// Registers 'webgpu' (used only where the browser exposes navigator.gpu).
import '@tensorflow/tfjs-backend-webgpu';
import { runBackendCases } from '../shared/backend_cases';
import { runWarmupQualitySeeds, type WarmupQualityResult } from '../shared/warmup_quality_case';

export interface PageResult {
  backend: string;
  flags: Record<string, unknown>;
  results: Record<string, number[]>;
  /** The tiny warmup-quality runs (test/shared/warmup_quality_case.ts); empty when not asked. */
  quality: WarmupQualityResult[];
}

declare global {
  interface Window {
    runBackendCases: (backend: string, quality: boolean) => Promise<PageResult>;
  }
}

window.runBackendCases = async (backend: string, withQuality: boolean): Promise<PageResult> => {
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) {
    throw new Error(`could not activate backend '${backend}' (active: '${tf.getBackend()}')`);
  }
  const flags: Record<string, unknown> = {};
  if (backend === 'webgl') {
    for (const f of ['WEBGL_VERSION', 'WEBGL_RENDER_FLOAT32_ENABLED', 'WEBGL_RENDER_FLOAT32_CAPABLE']) {
      flags[f] = tf.env().get(f);
    }
  }
  if (backend === 'webgpu') flags.adapter = 'gpu' in navigator ? 'available' : 'missing';
  const results = await runBackendCases(tf, (name) => console.info(`case ${name}`));
  const quality = withQuality ? await runWarmupQualitySeeds(tf) : [];
  return { backend: tf.getBackend(), flags, results, quality };
};
