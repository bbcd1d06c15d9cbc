import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { warnIfLowPrecision } from '../multistability/precision';
import { analyseFixedPoints, now, type FixedPointAnalysis } from './fixed_point_analysis';
import { resolveFixedPointOptions, type FindFixedPointsOptions } from './fixed_point_options';
import { RecurrentSystem } from './recurrent_system';
import { drawStartingPoints } from './starting_points';

/**
 * Finds the fixed points of a recurrent layer or of a model's recurrent stack under a constant
 * input, and tells attractors from saddles and slow points (Sussillo & Barak 2013, *Opening the
 * black box*; Golub & Sussillo 2018, FixedPointFinder). See docs/attractors.md.
 *
 * The analysed system is `h ↦ F(h, u)`, one step of the recurrence with the input held at u,
 * where h concatenates every recurrent state: h for BRC, nBRC, GRU and simple RNNs; **h and c for
 * LSTM** (F maps [h, c] to [h', c'], so an LSTM of `units` has a `2·units` state and its fixed
 * points fix both); both halves of a double layer (pass `layer.first` or `layer.second` to analyse
 * one half); and, for a model, every recurrent layer in order, the stack stepping together with
 * u at the first layer, exactly as `measureVaa` runs it.
 *
 * Steps:
 * 1. starting states: the states reached after a random prefix of `samples` input sequences
 *    (drawn as warmup and `measureVaa` draw them; the same `seed` gives the same states and u
 *    as `measureVaa`), plus optional Gaussian `noise`; or `startingStates` given directly;
 * 2. minimise `q(h) = ½‖F(h, u) − h‖²` from all of them at once with Adam in tfjs ops (any
 *    backend), stopping when every q is below `tolerance` or stops improving, or after
 *    `maxIterations`; the states each start's own trajectory reaches after `trajectorySteps`
 *    steps join the candidates (plain iteration reaches attractors where minimising q crawls);
 *    then a few Newton (or Levenberg–Marquardt) steps refine each candidate;
 * 3. discard points with q above `slowTolerance` or far from the data, merge points closer than
 *    `uniqueTolerance` in every coordinate;
 * 4. at each unique point compute the Jacobian ∂F/∂h (batched vector-Jacobian products in
 *    tfjs) and its eigenvalues (ml-matrix, float64), and classify: `'stable'` (all |λ| < 1),
 *    `'unstable'` (some |λ| ≥ 1) or `'slow'` (q above `tolerance`).
 *
 * Cost: each Adam iteration is one step of the layer forward and backward on `samples` states;
 * the Jacobians cost one batched backward pass on `dimension` copies of each unique point, and
 * the eigen-decompositions O(dimension³) each in JavaScript. Weights are never changed.
 *
 * @param target a built model, or one recurrent layer (this library's BRC, NBRC, GRU, LSTM,
 *   DoubleRNN or one of its halves, or tfjs's `gru`, `lstm`, `simpleRNN`).
 * @param options where to start (`inputs` or `startingStates`), the constant input, tolerances.
 * @throws InvalidArgumentError, ShapeError or NonFiniteError on bad arguments, before anything runs.
 *
 * @example
 * ```ts
 * const analysis = await findFixedPoints(model, { inputs: trainInputs, samples: 64, seed: 1 });
 * console.log(analysis.counts);                  // { stable: 3, unstable: 2, slow: 0, discarded: 0 }
 * for (const p of analysis.points) console.log(p.kind, p.q, p.spectralRadius);
 * ```
 */
export async function findFixedPoints(
  target: LayersModel | layers.Layer,
  options: FindFixedPointsOptions,
): Promise<FixedPointAnalysis> {
  const started = now();
  const fn = 'findFixedPoints';
  const o = resolveFixedPointOptions(fn, options);
  const system = RecurrentSystem.of(target, fn);
  warnIfLowPrecision(fn);
  const { states, input } = await drawStartingPoints(system, o, fn);
  try {
    return await analyseFixedPoints(system, states, input, o, started);
  } finally {
    states.dispose();
  }
}
