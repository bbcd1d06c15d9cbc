/**
 * The page's attractor landscapes: the fixed points of a model's recurrent stack under a
 * constant random input, the trajectories of a few sampled states, one SVG per layer. Settings
 * are small so that it takes seconds on any backend; docs/attractors.md explains the pictures.
 */
import type * as tf from '@tensorflow/tfjs';
import { countAttractors, landscapeSvg } from '../../src/index';

/** What the page shows for one model. */
export interface LandscapeView {
  /** One SVG per recurrent layer. */
  pictures: string[];
  stable: number;
  unstable: number;
  slow: number;
  /** Stable points the trajectories end on, of `samples`; and the VAA of the same trajectories. */
  attractors: number;
  vaa: number;
  samples: number;
  horizon: number;
  ms: number;
}

const SAMPLES = 16;
const HORIZON = 300;

/** Analyses `model` from states reached on `inputs` (same seed before and after warmup: same draws). */
export async function drawLandscapes(
  model: tf.LayersModel,
  inputs: tf.Tensor3D,
  label: string,
  seed: number,
): Promise<LandscapeView> {
  const samples = Math.min(SAMPLES, inputs.shape[0]);
  const count = await countAttractors(model, {
    inputs,
    samples,
    seed,
    horizon: HORIZON,
    maxIterations: 150,
    trajectorySteps: 200,
    newtonSteps: 6,
    recordPoints: 12,
  });
  const layers = [...new Set(count.analysis.blocks.map((b) => b.layer))];
  return {
    pictures: layers.map((layer, i) =>
      landscapeSvg(count, { layer, title: `${label}: layer ${i + 1}`, width: 290, height: 240 }),
    ),
    ...count.analysis.counts,
    attractors: count.attractors,
    vaa: count.vaa,
    samples,
    horizon: HORIZON,
    ms: count.ms,
  };
}
