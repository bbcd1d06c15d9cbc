/**
 * The demo's attractor measurement: one countAttractors call gives both the VAA the report has
 * always shown (the same seed draws the same states and input as measureVaa, so the value is
 * identical) and the fixed points, with a landscape picture per recurrent layer.
 */
import type * as tf from '@tensorflow/tfjs';
import { countAttractors, landscapeSvg } from '../../src/index';

/** Adam iterations of the fixed-point search in the demo (a trade-off with run time). */
const SEARCH_ITERATIONS = 300;
/** States recorded per trajectory for the pictures. */
const RECORD_POINTS = 16;

/** What one measurement of a model's landscape gives the report. */
export interface Landscape {
  /** VAA of the trajectories at the horizon (what measureVaa returns for the same draws). */
  vaa: number;
  /** Points found by kind, and starting states whose search was discarded. */
  stable: number;
  unstable: number;
  slow: number;
  discarded: number;
  /** Stable points the trajectories end in at the horizon, and the fraction that ended on none. */
  attractors: number;
  unresolved: number;
  /** One SVG per recurrent layer, in model order. */
  pictures: Array<{ layer: string; svg: string }>;
}

/**
 * Counts the attractors of `model` from `samples` of `inputs` with the constant input and
 * horizon of its VAA measurement, and draws each recurrent layer's landscape.
 */
export async function measureLandscape(
  model: tf.LayersModel,
  inputs: tf.Tensor3D,
  options: { samples: number; steps: number; seed: number },
  label: string,
): Promise<Landscape> {
  const count = await countAttractors(model, {
    inputs,
    samples: options.samples,
    horizon: options.steps,
    seed: options.seed,
    maxIterations: SEARCH_ITERATIONS,
    recordPoints: RECORD_POINTS,
  });
  const layers = [...new Set(count.analysis.blocks.map((b) => b.layer))];
  return {
    vaa: count.vaa,
    ...count.analysis.counts,
    attractors: count.attractors,
    unresolved: count.unresolved,
    pictures: layers.map((layer, i) => ({
      layer,
      svg: landscapeSvg(count, { layer, title: `layer ${i + 1}, ${label}`, width: 262, height: 240 }),
    })),
  };
}
