/**
 * Browser entry of test/browser/attractors_webgl.test.ts, bundled by esbuild (iife): the
 * 1-unit bistable cell's fixed points on the page's backend.
 */
import * as tf from '@tensorflow/tfjs';
import { findFixedPoints } from '../../src/index';
import { bistableCell } from '../attractors/systems';

export interface AttractorPageResult {
  backend: string;
  kinds: string[];
  states: number[];
  eigenvalues: number[];
  tensorsLeaked: number;
}

declare global {
  interface Window {
    runAttractorCase: (backend: string) => Promise<AttractorPageResult>;
  }
}

window.runAttractorCase = async (backend: string): Promise<AttractorPageResult> => {
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend)
    throw new Error(`could not activate backend '${backend}' (active: '${tf.getBackend()}')`);
  const layer = bistableCell();
  const grid = tf.tensor2d([[-0.8], [-0.4], [0], [0.3], [0.9]]);
  const before = tf.memory().numTensors;
  const analysis = await findFixedPoints(layer, { startingStates: grid, input: 'zero', maxIterations: 60 });
  const tensorsLeaked = tf.memory().numTensors - before;
  grid.dispose();
  return {
    backend: tf.getBackend(),
    kinds: analysis.points.map((p) => p.kind),
    states: analysis.points.map((p) => p.state[0]),
    eigenvalues: analysis.points.map((p) => p.eigenvalues[0].re),
    tensorsLeaked,
  };
};
